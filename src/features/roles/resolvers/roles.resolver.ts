import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { OrganizationUser } from "../../users/users.types.js";
import { createRole, deleteRole, listRoles, setUserRoles, updateRole } from "../roles.service.js";
import { CreateRoleInput, OrganizationRole, UpdateRoleInput } from "../roles.types.js";

@Resolver()
export class RolesResolver {
  @Query(() => [OrganizationRole], {
    description: "The built-in buyer roles, then the organization's custom roles by side and key",
  })
  roles(@Ctx() ctx: RequestContext) {
    return listRoles(ctx);
  }

  @Mutation(() => OrganizationRole, {
    description: "Defines a custom role; a seller role may hold only permissions the caller holds",
  })
  createRole(@Ctx() ctx: RequestContext, @Arg("input", () => CreateRoleInput) input: CreateRoleInput) {
    return createRole(ctx, input);
  }

  @Mutation(() => OrganizationRole, { description: "Changes a custom role; its holders hold the change at once" })
  updateRole(
    @Ctx() ctx: RequestContext,
    @Arg("key", () => String) key: string,
    @Arg("input", () => UpdateRoleInput) input: UpdateRoleInput,
  ) {
    return updateRole(ctx, key, input);
  }

  @Mutation(() => OrganizationRole, { description: "Deletes a custom role nobody holds; answers the deleted role" })
  deleteRole(@Ctx() ctx: RequestContext, @Arg("key", () => String) key: string) {
    return deleteRole(ctx, key);
  }

  @Mutation(() => OrganizationUser, {
    description:
      "Gives a member exactly these custom seller roles (keys); the caller must hold every permission it gives or takes away",
  })
  setUserRoles(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("roles", () => [String]) roles: string[],
  ) {
    return setUserRoles(ctx, userId, roles);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { OrganizationUser } from "../../users/users.types.js";
import { removeAdmin } from "../organizations.service.js";

@Resolver()
export class RemoveOrganizationAdminResolver {
  @Mutation(() => OrganizationUser, {
    description: "Takes the admin role from a user; the last admin cannot be removed",
  })
  removeOrganizationAdmin(@Ctx() ctx: RequestContext, @Arg("userId", () => String) userId: string) {
    return removeAdmin(ctx, userId);
  }
}

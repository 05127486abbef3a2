import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { OrganizationUser } from "../../users/users.types.js";
import { assignAdmin } from "../organizations.service.js";

@Resolver()
export class AssignOrganizationAdminResolver {
  @Mutation(() => OrganizationUser, { description: "Makes an existing account an admin and sends it a welcome e-mail" })
  assignOrganizationAdmin(@Ctx() ctx: RequestContext, @Arg("email", () => String) email: string) {
    return assignAdmin(ctx, email);
  }
}

import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listAdmins } from "../organizations.service.js";
import { OrganizationUser } from "../../users/users.types.js";

@Resolver()
export class OrganizationAdminsResolver {
  @Query(() => [OrganizationUser], { description: "Every admin of the caller's organization" })
  organizationAdmins(@Ctx() ctx: RequestContext) {
    return listAdmins(ctx);
  }
}

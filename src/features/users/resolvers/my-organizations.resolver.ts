import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listMyOrganizations } from "../users.service.js";
import { UserOrganization } from "../users.types.js";

@Resolver()
export class MyOrganizationsResolver {
  @Query(() => [UserOrganization], { description: "The organizations the caller is a member of" })
  myOrganizations(@Ctx() ctx: RequestContext) {
    return listMyOrganizations(ctx);
  }
}

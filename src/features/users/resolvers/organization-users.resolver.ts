import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { PageArgs } from "../../../graphql/list-types.js";
import { listOrganizationUsers } from "../users.service.js";
import { OrganizationUserPage } from "../users.types.js";

@Resolver()
export class OrganizationUsersResolver {
  @Query(() => OrganizationUserPage, {
    description: "Members of the caller's organization; sortOn Email (default), FirstName or LastName",
  })
  organizationUsers(@Ctx() ctx: RequestContext, @Args(() => PageArgs) args: PageArgs) {
    return listOrganizationUsers(ctx, args);
  }
}

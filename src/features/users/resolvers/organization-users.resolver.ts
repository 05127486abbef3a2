import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { listOrganizationUsers } from "../users.service.js";
import { OrganizationUserPage, OrganizationUsersArgs } from "../users.types.js";

@Resolver()
export class OrganizationUsersResolver {
  @Query(() => OrganizationUserPage, {
    description: "Members of the caller's organization; sorted on EMAIL by default",
  })
  organizationUsers(
    @Ctx() ctx: RequestContext,
    @Args(() => OrganizationUsersArgs) args: OrganizationUsersArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listOrganizationUsers(ctx, args, selectionOf(info).items ?? {});
  }
}

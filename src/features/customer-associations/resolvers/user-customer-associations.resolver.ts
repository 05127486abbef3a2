import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { listAssociations } from "../customer-associations.service.js";
import { UserCustomerAssociationsArgs, UserCustomerPage } from "../customer-associations.types.js";

@Resolver()
export class UserCustomerAssociationsResolver {
  @Query(() => UserCustomerPage, {
    description: "A page of the organization's user-customer associations; sortOn UserId (default) or CustomerNumber",
  })
  userCustomerAssociations(
    @Ctx() ctx: RequestContext,
    @Args(() => UserCustomerAssociationsArgs) args: UserCustomerAssociationsArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listAssociations(ctx, args, selectionOf(info).items ?? {});
  }
}

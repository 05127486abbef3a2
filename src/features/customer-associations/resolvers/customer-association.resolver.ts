import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { getAssociation } from "../customer-associations.service.js";
import { UserCustomer } from "../customer-associations.types.js";

@Resolver()
export class CustomerAssociationResolver {
  @Query(() => UserCustomer, { description: "The user's customer association in the caller's organization" })
  customerAssociation(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Info() info: GraphQLResolveInfo,
  ) {
    return getAssociation(ctx, userId, selectionOf(info));
  }
}

import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { listUserAssociations } from "../customer-associations.service.js";
import { UserCustomer } from "../customer-associations.types.js";

@Resolver()
export class CustomerAssociationsResolver {
  @Query(() => [UserCustomer], {
    description: "The user's customer associations in every organization the caller administers",
  })
  customerAssociations(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listUserAssociations(ctx, userId, selectionOf(info));
  }
}

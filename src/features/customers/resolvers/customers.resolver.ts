import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { listCustomers } from "../customers.service.js";
import { CustomerPage, CustomersArgs } from "../customers.types.js";

@Resolver()
export class CustomersResolver {
  @Query(() => CustomerPage, {
    description:
      "A page of the organization's customers; sortOn CustomerNumber (default), CompanyName, CompanyEmail or RepNumber",
  })
  customers(
    @Ctx() ctx: RequestContext,
    @Args(() => CustomersArgs) args: CustomersArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listCustomers(ctx, args, selectionOf(info).items ?? {});
  }
}

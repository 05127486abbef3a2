import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { CustomerPage, CustomersArgs } from "../../customers/customers.types.js";
import { listMySalesRepCustomers } from "../rep-customers.service.js";

@Resolver()
export class MySalesRepCustomersResolver {
  @Query(() => CustomerPage, {
    description:
      "The caller's customers as a sales rep: its rep number's and those listed for it, its sales-rep role's scope with access type role, or all with access type all; sortOn as customers",
  })
  mySalesRepCustomers(
    @Ctx() ctx: RequestContext,
    @Args(() => CustomersArgs) args: CustomersArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listMySalesRepCustomers(ctx, args, selectionOf(info).items ?? {});
  }
}

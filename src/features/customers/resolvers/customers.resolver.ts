import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listCustomers } from "../customers.service.js";
import { CustomerPage, CustomersArgs } from "../customers.types.js";

@Resolver()
export class CustomersResolver {
  @Query(() => CustomerPage, {
    description:
      "A page of the organization's customers; sortOn CustomerNumber (default), CompanyName, CompanyEmail or RepNumber",
  })
  customers(@Ctx() ctx: RequestContext, @Args(() => CustomersArgs) args: CustomersArgs) {
    return listCustomers(ctx, args);
  }
}

import { Arg, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { getCustomer, getMyCustomer } from "../customers.service.js";
import { Customer } from "../customers.types.js";

@Resolver()
export class CustomerResolver {
  @Query(() => Customer, { description: "One customer of the organization, by its customer number" })
  customer(@Ctx() ctx: RequestContext, @Arg("customerNumber", () => String) customerNumber: string) {
    return getCustomer(ctx, customerNumber);
  }

  @Query(() => Customer, {
    description: "The customer the caller's access token acts for, with its credit hold as of this request",
  })
  myCustomer(@Ctx() ctx: RequestContext) {
    return getMyCustomer(ctx);
  }
}

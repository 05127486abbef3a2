import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { upsertCustomer } from "../customers.service.js";
import { Customer, UpsertCustomerInput } from "../customers.types.js";

@Resolver()
export class UpsertCustomerResolver {
  @Mutation(() => Customer, { description: "Creates a customer, or updates the one with the same customerNumber" })
  upsertCustomer(@Ctx() ctx: RequestContext, @Arg("input", () => UpsertCustomerInput) input: UpsertCustomerInput) {
    return upsertCustomer(ctx, input);
  }
}

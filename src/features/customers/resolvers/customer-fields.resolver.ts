import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { customerAncestors, customerChildren, customerParent, customerPriceTier } from "../customers.service.js";
import { Customer, CustomerChildrenArgs, CustomerPage } from "../customers.types.js";
import type { CustomerRow } from "../customers.tables.js";
import type { CompiledCustomer } from "../customer-shape.js";

/**
 * Relations of a customer. A compiled list (customer-shape.ts) has built the tier's and the
 * parent's fields into the object already; a customer from anywhere else loads them, batched.
 */
@Resolver(() => Customer)
export class CustomerFieldsResolver {
  @FieldResolver(() => String, { nullable: true, description: "The name of the customer's price tier" })
  async pricing(@Root() customer: CompiledCustomer, @Ctx() ctx: RequestContext) {
    if (customer.pricing !== undefined) return customer.pricing;
    return (await customerPriceTier(ctx, customer))?.name ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The currency of the customer's price tier" })
  async currencyCode(@Root() customer: CompiledCustomer, @Ctx() ctx: RequestContext) {
    if (customer.currencyCode !== undefined) return customer.currencyCode;
    return (await customerPriceTier(ctx, customer))?.currencyCode ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The customerNumber of the parent customer" })
  async parentCustomerNumber(@Root() customer: CompiledCustomer, @Ctx() ctx: RequestContext) {
    if (customer.parentCustomerNumber !== undefined) return customer.parentCustomerNumber;
    return (await customerParent(ctx, customer))?.customerNumber ?? null;
  }

  @FieldResolver(() => Customer, { nullable: true, description: "The parent customer, for a customer in a tree" })
  parent(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext) {
    return customerParent(ctx, customer);
  }

  @FieldResolver(() => CustomerPage, { description: "A page of the customers directly below this one" })
  children(
    @Root() customer: CustomerRow,
    @Ctx() ctx: RequestContext,
    @Args(() => CustomerChildrenArgs) args: CustomerChildrenArgs,
  ) {
    return customerChildren(ctx, customer, args);
  }

  @FieldResolver(() => [Customer], { description: "The customers above this one, the parent first and the root last" })
  ancestors(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext) {
    return customerAncestors(ctx, customer);
  }
}

import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { customerAncestors, customerChildren, customerParent, customerPriceTier } from "../customers.service.js";
import { Customer, CustomerChildrenArgs, CustomerPage } from "../customers.types.js";
import type { CustomerRow } from "../customers.tables.js";

@Resolver(() => Customer)
export class CustomerFieldsResolver {
  @FieldResolver(() => String, { nullable: true, description: "The name of the customer's price tier" })
  async pricing(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext) {
    return (await customerPriceTier(ctx, customer))?.name ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The currency of the customer's price tier" })
  async currencyCode(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext) {
    return (await customerPriceTier(ctx, customer))?.currencyCode ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The customerNumber of the parent customer" })
  async parentCustomerNumber(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext) {
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

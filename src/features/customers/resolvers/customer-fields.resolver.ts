import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { customerPriceTier } from "../customers.service.js";
import { Customer } from "../customers.types.js";
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
}

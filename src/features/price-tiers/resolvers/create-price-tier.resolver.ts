import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { createPriceTier } from "../price-tiers.service.js";
import { PriceTier } from "../price-tiers.types.js";

@Resolver()
export class CreatePriceTierResolver {
  @Mutation(() => PriceTier, { description: "Adds a price tier; names are unique per organization in any case" })
  createPriceTier(
    @Ctx() ctx: RequestContext,
    @Arg("name", () => String) name: string,
    @Arg("currencyCode", () => String, { description: "ISO 4217" }) currencyCode: string,
  ) {
    return createPriceTier(ctx, name, currencyCode);
  }
}

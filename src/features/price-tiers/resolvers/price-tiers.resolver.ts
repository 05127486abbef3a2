import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listPriceTiers } from "../price-tiers.service.js";
import { PriceTier } from "../price-tiers.types.js";

@Resolver()
export class PriceTiersResolver {
  @Query(() => [PriceTier], { description: "The caller's organization's price tiers, by name" })
  priceTiers(@Ctx() ctx: RequestContext) {
    return listPriceTiers(ctx);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { defaultCurrencyCode, updatePriceTier } from "../price-tiers.service.js";
import { PriceTier } from "../price-tiers.types.js";

@Resolver()
export class UpdatePriceTierResolver {
  @Mutation(() => PriceTier, {
    description: "Renames a price tier and sets its currency; the default tier follows a rename",
  })
  updatePriceTier(
    @Ctx() ctx: RequestContext,
    @Arg("oldName", () => String) oldName: string,
    @Arg("newName", () => String) newName: string,
    @Arg("currencyCode", () => String, { nullable: true, defaultValue: defaultCurrencyCode, description: "ISO 4217" })
    currencyCode: string | null,
  ) {
    return updatePriceTier(ctx, oldName, newName, currencyCode);
  }
}

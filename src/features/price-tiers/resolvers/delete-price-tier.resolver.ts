import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { deletePriceTier } from "../price-tiers.service.js";
import { DeletePriceTierPayload } from "../price-tiers.types.js";

@Resolver()
export class DeletePriceTierResolver {
  @Mutation(() => DeletePriceTierPayload, {
    description: "Deletes a price tier no customer uses; a deleted default tier leaves none",
  })
  deletePriceTier(@Ctx() ctx: RequestContext, @Arg("name", () => String) name: string) {
    return deletePriceTier(ctx, name);
  }
}

import { requires, type AccessDeclarations } from "../../auth/access.js";

export const priceTierAccess = {
  Query: {
    priceTiers: requires("price_tiers.read"),
  },
  Mutation: {
    createPriceTier: requires("price_tiers.manage"),
    updatePriceTier: requires("price_tiers.manage"),
    deletePriceTier: requires("price_tiers.manage"),
  },
} satisfies AccessDeclarations;

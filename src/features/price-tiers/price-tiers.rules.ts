import { isAdmin } from "../../graphql/rules.js";

export const priceTierRules = {
  Query: {
    priceTiers: isAdmin,
  },
  Mutation: {
    createPriceTier: isAdmin,
    updatePriceTier: isAdmin,
    deletePriceTier: isAdmin,
  },
};

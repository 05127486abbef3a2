import type { Feature } from "../feature.js";
import { priceTierRoutes } from "./price-tiers.routes.js";
import { priceTierAccess } from "./price-tiers.rules.js";
import { CreatePriceTierResolver } from "./resolvers/create-price-tier.resolver.js";
import { DeletePriceTierResolver } from "./resolvers/delete-price-tier.resolver.js";
import { PriceTiersResolver } from "./resolvers/price-tiers.resolver.js";
import { UpdatePriceTierResolver } from "./resolvers/update-price-tier.resolver.js";

export const priceTiersFeature: Feature = {
  name: "price-tiers",
  description: "The organization's price tiers",
  resolvers: [PriceTiersResolver, CreatePriceTierResolver, UpdatePriceTierResolver, DeletePriceTierResolver],
  access: priceTierAccess,
  routes: priceTierRoutes,
};

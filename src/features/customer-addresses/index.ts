import type { Feature } from "../feature.js";
import { customerAddressRoutes } from "./customer-addresses.routes.js";
import { customerAddressRules } from "./customer-addresses.rules.js";
import { CustomerAddressesResolver, CustomerAddressFieldsResolver } from "./resolvers/customer-addresses.resolver.js";

export const customerAddressesFeature: Feature = {
  name: "customer-addresses",
  resolvers: [CustomerAddressesResolver, CustomerAddressFieldsResolver],
  rules: customerAddressRules,
  routes: customerAddressRoutes,
};

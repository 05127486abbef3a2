import type { Feature } from "../feature.js";
import { customerAddressRoutes } from "./customer-addresses.routes.js";
import { customerAddressAccess } from "./customer-addresses.rules.js";
import { CustomerAddressesResolver, CustomerAddressFieldsResolver } from "./resolvers/customer-addresses.resolver.js";

export const customerAddressesFeature: Feature = {
  name: "customer-addresses",
  description: "Customers' shipping and billing addresses",
  resolvers: [CustomerAddressesResolver, CustomerAddressFieldsResolver],
  access: customerAddressAccess,
  routes: customerAddressRoutes,
};

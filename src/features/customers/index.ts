import type { Feature } from "../feature.js";
import { customerRoutes } from "./customers.routes.js";
import { customerAccess } from "./customers.rules.js";
import { customerReference } from "./customers.service.js";
import { CustomerFieldsResolver } from "./resolvers/customer-fields.resolver.js";
import { CustomerResolver } from "./resolvers/customer.resolver.js";
import { CustomersResolver } from "./resolvers/customers.resolver.js";
import { UpsertCustomerResolver } from "./resolvers/upsert-customer.resolver.js";
import { UpsertCustomersResolver } from "./resolvers/upsert-customers.resolver.js";

export const customersFeature: Feature = {
  name: "customers",
  description: "The organization's customers, one by one or in batches, and their hierarchy",
  resolvers: [
    CustomersResolver,
    CustomerResolver,
    CustomerFieldsResolver,
    UpsertCustomerResolver,
    UpsertCustomersResolver,
  ],
  access: customerAccess,
  routes: customerRoutes,
  entities: {
    Customer: { readAs: ["customer"], find: customerReference },
  },
};

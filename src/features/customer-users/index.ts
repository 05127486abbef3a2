import type { Feature } from "../feature.js";
import { customerUserRoutes } from "./customer-users.routes.js";
import { customerUserAccess } from "./customer-users.rules.js";
import { CustomerUsersResolver } from "./resolvers/customer-users.resolver.js";

export const customerUsersFeature: Feature = {
  name: "customer-users",
  description: "A customer's own people, managed by its user managers",
  resolvers: [CustomerUsersResolver],
  access: customerUserAccess,
  routes: customerUserRoutes,
};

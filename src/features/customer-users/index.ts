import type { Feature } from "../feature.js";
import { customerUserRoutes } from "./customer-users.routes.js";
import { customerUserAccess } from "./customer-users.rules.js";
import { CustomerUsersResolver } from "./resolvers/customer-users.resolver.js";

export const customerUsersFeature: Feature = {
  name: "customer-users",
  resolvers: [CustomerUsersResolver],
  access: customerUserAccess,
  routes: customerUserRoutes,
};

import type { Feature } from "../feature.js";
import { RolesResolver } from "./resolvers/roles.resolver.js";
import { roleRoutes } from "./roles.routes.js";
import { roleAccess } from "./roles.rules.js";

export const rolesFeature: Feature = {
  name: "roles",
  description: "Custom seller and buyer roles and who holds them",
  resolvers: [RolesResolver],
  access: roleAccess,
  routes: roleRoutes,
};

import type { Feature } from "../feature.js";
import { apiClientRoutes } from "./api-clients.routes.js";
import { apiClientAccess } from "./api-clients.rules.js";
import { ApiClientsResolver } from "./resolvers/api-clients.resolver.js";
import { CreateApiClientResolver } from "./resolvers/create-api-client.resolver.js";
import { RevokeApiClientResolver } from "./resolvers/revoke-api-client.resolver.js";
import { SetApiClientRolesResolver } from "./resolvers/set-api-client-roles.resolver.js";

export const apiClientsFeature: Feature = {
  name: "api-clients",
  description: "An organization's machine clients and their OAuth client-credentials tokens",
  resolvers: [ApiClientsResolver, CreateApiClientResolver, RevokeApiClientResolver, SetApiClientRolesResolver],
  access: apiClientAccess,
  routes: apiClientRoutes,
};

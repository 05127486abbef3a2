import { limited, requires, type AccessDeclarations } from "../../auth/access.js";

export const apiClientAccess = {
  Query: {
    apiClients: requires("api_clients.manage"),
  },
  Mutation: {
    // Few per hour: each new client is a standing credential for the organization.
    createApiClient: limited(requires("api_clients.manage"), 10, 3600),
    revokeApiClient: requires("api_clients.manage"),
    setApiClientRoles: requires("roles.manage"),
  },
} satisfies AccessDeclarations;

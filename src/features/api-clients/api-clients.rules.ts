import { chain } from "graphql-shield";
import { isAdmin, rateLimited } from "../../graphql/rules.js";

export const apiClientRules = {
  Query: {
    apiClients: isAdmin,
  },
  Mutation: {
    // Admins only, and few per hour: each new client is a standing credential for the organization.
    createApiClient: chain(isAdmin, rateLimited("createApiClient", 10, 3600)),
    revokeApiClient: isAdmin,
  },
};

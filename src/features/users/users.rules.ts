import { hasIdentityOr, isAdmin, isCustomer, rateLimited } from "../../graphql/rules.js";

export const userRules = {
  Query: {
    profile: isCustomer,
    userExists: rateLimited("userExists", 10, 60),
    myOrganizations: hasIdentityOr("Admin"),
    organizationUsers: isAdmin,
  },
  Mutation: {
    createUser: isAdmin,
  },
};

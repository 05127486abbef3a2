import { isAdmin, rateLimited } from "../../graphql/rules.js";

export const organizationRules = {
  Query: {
    organization: isAdmin,
    organizationAdmins: isAdmin,
  },
  Mutation: {
    // Public sign-up: each one creates a tenant and a user, so a script must not mint thousands.
    createOrganization: rateLimited("createOrganization", (config) => config.SIGN_UP_RATE_LIMIT, 3600),
    updateOrganization: isAdmin,
    assignOrganizationAdmin: isAdmin,
    removeOrganizationAdmin: isAdmin,
  },
};

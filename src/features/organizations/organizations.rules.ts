import { chain } from "graphql-shield";
import { emailLookupLimited, isAdmin, publicWithin, rateLimited } from "../../graphql/rules.js";

export const organizationRules = {
  Query: {
    organization: isAdmin,
    organizationAdmins: isAdmin,
  },
  Mutation: {
    // Public sign-up: each one creates a tenant and a user, so a script must not mint thousands.
    // Its refusal of a registered address without its password tells that the address exists.
    createOrganization: publicWithin(
      rateLimited("createOrganization", (config) => config.SIGN_UP_RATE_LIMIT, 3600),
      emailLookupLimited,
    ),
    updateOrganization: isAdmin,
    // The documents answer 400 for an unknown address, so each call is an e-mail lookup.
    assignOrganizationAdmin: chain(isAdmin, emailLookupLimited),
    removeOrganizationAdmin: isAdmin,
  },
};

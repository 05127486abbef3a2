import { isAdmin, rateLimited } from "../../graphql/rules.js";

export const membershipRules = {
  Mutation: {
    removeOrganizationUser: isAdmin,
    // Public: the e-mailed token is the only credential, so guesses are limited per client IP.
    leaveOrganization: rateLimited("leaveOrganization", 30, 60),
  },
};

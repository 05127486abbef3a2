import { isAdmin, rateLimited } from "../../graphql/rules.js";

export const invitationRules = {
  Query: {
    invitations: isAdmin,
  },
  Mutation: {
    // Public: a token is the only credential, so guesses are limited per client IP.
    acceptInvitation: rateLimited("acceptInvitation", 30, 60),
    resendInvitation: isAdmin,
    revokeInvitation: isAdmin,
  },
};

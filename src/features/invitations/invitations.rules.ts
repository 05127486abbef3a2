import { rateLimited } from "../../graphql/rules.js";

export const invitationRules = {
  Mutation: {
    // Public: a token is the only credential, so guesses are limited per client IP.
    acceptInvitation: rateLimited("acceptInvitation", 30, 60),
  },
};

import { anyone, limited, type AccessDeclarations } from "../../auth/access.js";

export const invitationAccess = {
  Mutation: {
    // Public: a token is the only credential, so guesses are limited per client IP.
    acceptInvitation: limited(anyone, 30, 60),
  },
} satisfies AccessDeclarations;

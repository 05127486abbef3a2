import { anyone, limited, requires, type AccessDeclarations } from "../../auth/access.js";

export const invitationAccess = {
  Query: {
    invitations: requires("users.read"),
  },
  Mutation: {
    // Public: a token is the only credential, so guesses are limited per client IP.
    acceptInvitation: limited(anyone, 30, 60),
    resendInvitation: requires("users.manage"),
    revokeInvitation: requires("users.manage"),
  },
} satisfies AccessDeclarations;

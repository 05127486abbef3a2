import { anyone, limited, requires, type AccessDeclarations } from "../../auth/access.js";

export const membershipAccess = {
  Mutation: {
    removeOrganizationUser: requires("users.manage"),
    // Public: the e-mailed token is the only credential, so guesses are limited per client IP.
    leaveOrganization: limited(anyone, 30, 60),
  },
} satisfies AccessDeclarations;

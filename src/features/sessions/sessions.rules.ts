import { anyone, limited, signedIn, type AccessDeclarations } from "../../auth/access.js";

export const sessionAccess = {
  Mutation: {
    // Public; failures per e-mail are limited in the service, where the address is known.
    signIn: limited(anyone, 60, 60),
    access: signedIn,
    signOut: signedIn,
    // Wrong current passwords count against the account's sign-in lockout, in the service.
    changePassword: signedIn,
    // Public; the service also limits reset mails per address, known or not.
    requestPasswordReset: limited(anyone, 10, 60 * 60),
    resetPassword: limited(anyone, 30, 60),
  },
} satisfies AccessDeclarations;

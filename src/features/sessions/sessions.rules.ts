import { isSignedIn, rateLimited } from "../../graphql/rules.js";

export const sessionRules = {
  Mutation: {
    // Public; failures per e-mail are limited in the service, where the address is known.
    signIn: rateLimited("signIn", 60, 60),
    access: isSignedIn,
    signOut: isSignedIn,
    // Wrong current passwords count against the account's sign-in lockout, in the service.
    changePassword: isSignedIn,
    // Public; the service also limits reset mails per address, known or not.
    requestPasswordReset: rateLimited("requestPasswordReset", 10, 60 * 60),
    resetPassword: rateLimited("resetPassword", 30, 60),
  },
};

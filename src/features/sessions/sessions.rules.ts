import { isPublic, isSignedIn } from "../../graphql/rules.js";

export const sessionRules = {
  Mutation: {
    signIn: isPublic,
    access: isSignedIn,
  },
};

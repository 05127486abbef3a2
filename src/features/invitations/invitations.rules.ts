import { isPublic } from "../../graphql/rules.js";

export const invitationRules = {
  Mutation: {
    acceptInvitation: isPublic,
  },
};

import type { Feature } from "../feature.js";
import { invitationRoutes } from "./invitations.routes.js";
import { invitationRules } from "./invitations.rules.js";
import { AcceptInvitationResolver } from "./resolvers/accept-invitation.resolver.js";

export const invitationsFeature: Feature = {
  name: "invitations",
  resolvers: [AcceptInvitationResolver],
  rules: invitationRules,
  routes: invitationRoutes,
};

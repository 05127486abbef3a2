import type { Feature } from "../feature.js";
import { invitationRoutes } from "./invitations.routes.js";
import { invitationRules } from "./invitations.rules.js";
import { AcceptInvitationResolver } from "./resolvers/accept-invitation.resolver.js";
import { InvitationsResolver } from "./resolvers/invitations.resolver.js";

export const invitationsFeature: Feature = {
  name: "invitations",
  resolvers: [AcceptInvitationResolver, InvitationsResolver],
  rules: invitationRules,
  routes: invitationRoutes,
};

import type { Feature } from "../feature.js";
import { invitationRoutes } from "./invitations.routes.js";
import { invitationAccess } from "./invitations.rules.js";
import { AcceptInvitationResolver } from "./resolvers/accept-invitation.resolver.js";
import { InvitationsResolver } from "./resolvers/invitations.resolver.js";

export const invitationsFeature: Feature = {
  name: "invitations",
  description: "Invitations to join an organization, and accepting them",
  resolvers: [AcceptInvitationResolver, InvitationsResolver],
  access: invitationAccess,
  routes: invitationRoutes,
};

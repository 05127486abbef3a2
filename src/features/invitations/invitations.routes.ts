import { defineRoute, successBody } from "../../rest/route.js";

export const invitationRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/auth/invitations/accept",
    casing: "pascal",
    operation: `mutation AcceptInvitation($token: String!, $password: String) {
      acceptInvitation(token: $token, password: $password) { id }
    }`,
    respond: successBody,
  }),
];

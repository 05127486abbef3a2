import { pageArguments, pageVariables } from "../../rest/list-arguments.js";
import { defineRoute, objectSchema, propertiesOf } from "../../rest/route.js";

const invitationFields = "id userId email role state invitedBy { kind id name } createdAt sentAt expiresAt";

export const invitationRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/auth/invitations/accept",
    casing: "pascal",
    operation: `mutation AcceptInvitation($token: String!, $password: String) {
      acceptInvitation(token: $token, password: $password) { email }
    }`,
    // The address the account signs in with, so the page that accepted can fill in the sign-in form.
    respond: (data) => ({
      body: { success: true, email: (data.acceptInvitation as { email: string }).email },
    }),
    responseSchema: (data) =>
      objectSchema({ success: { type: "boolean" }, email: propertiesOf(data.acceptInvitation).email! }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/organizations/invitations",
    casing: "pascal",
    operation: `query Invitations(${pageVariables("InvitationSortField")}, $state: InvitationState) {
      invitations(${pageArguments}, state: $state) {
        items { ${invitationFields} } totalCount pageNumber pageSize
      }
    }`,
    respond: (data) => {
      const { items, totalCount, pageNumber, pageSize } = data.invitations as Record<string, unknown>;
      return { body: { data: items, totalCount, pageNumber, pageSize } };
    },
    responseSchema: (data) => {
      const { items, totalCount, pageNumber, pageSize } = propertiesOf(data.invitations);
      return objectSchema({ data: items!, totalCount: totalCount!, pageNumber: pageNumber!, pageSize: pageSize! });
    },
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/invitations/:id/resend",
    casing: "pascal",
    operation: `mutation ResendInvitation($id: ID!) { resendInvitation(id: $id) { ${invitationFields} } }`,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/invitations/:id",
    casing: "pascal",
    operation: `mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { ${invitationFields} } }`,
  }),
];

import { defineRoute, successBody } from "../../rest/route.js";

export const membershipRoutes = [
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/users",
    casing: "pascal",
    operation: `mutation RemoveOrganizationUser($userId: String!) { removeOrganizationUser(userId: $userId) { userId } }`,
    respond: successBody,
  }),
  defineRoute({
    method: "POST",
    path: "/api/auth/memberships/leave",
    casing: "pascal",
    operation: `mutation LeaveOrganization($token: String!, $blockMail: Boolean) {
      leaveOrganization(token: $token, blockMail: $blockMail) { organizationName blocked }
    }`,
  }),
];

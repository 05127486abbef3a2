import { defineRoute, successBody } from "../../rest/route.js";

const token = "accessToken tokenType expiresIn";

export const sessionRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/auth/sign-in",
    casing: "pascal",
    operation: `mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { ${token} } }`,
  }),
  defineRoute({
    method: "POST",
    path: "/api/auth/access",
    casing: "pascal",
    operation: `mutation Access($identityOrganizationId: String!, $customerNumber: String) {
      access(identityOrganizationId: $identityOrganizationId, customerNumber: $customerNumber) { ${token} }
    }`,
  }),
  defineRoute({
    method: "POST",
    path: "/api/auth/password",
    casing: "pascal",
    operation: `mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
      changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ${token} }
    }`,
  }),
  defineRoute({
    method: "POST",
    path: "/api/auth/sign-out",
    casing: "pascal",
    operation: `mutation SignOut($allSessions: Boolean) { signOut(allSessions: $allSessions) }`,
    respond: successBody,
  }),
];

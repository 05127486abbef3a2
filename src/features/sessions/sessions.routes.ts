import { defineRoute, emptyBody, successBody } from "../../rest/route.js";

const token = "accessToken tokenType expiresIn";

export const sessionRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/auth/sign-in",
    casing: "pascal",
    operation: `mutation SignIn($email: String!, $password: String!, $deviceToken: String) {
      signIn(email: $email, password: $password, deviceToken: $deviceToken) { ${token} deviceToken }
    }`,
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

  defineRoute({
    method: "POST",
    path: "/api/auth/password-reset",
    casing: "pascal",
    operation: `mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }`,
    // Accepted: whether a mail goes out depends on the address, which the answer must not tell.
    successStatus: 202,
    respond: emptyBody,
  }),
  defineRoute({
    method: "POST",
    path: "/api/auth/password-reset/confirm",
    casing: "pascal",
    operation: `mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }`,
    respond: successBody,
  }),
];

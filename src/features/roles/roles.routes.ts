import { bareList, defineRoute } from "../../rest/route.js";

const roleFields = "key name description permissions side buyerAssignable builtIn createdAt updatedAt";

/** Beside the other organization routes, in the organizations document's PascalCase. */
export const roleRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/organizations/roles",
    casing: "pascal",
    operation: `query Roles { roles { ${roleFields} } }`,
    respond: (data) => bareList(data.roles),
    responseSchema: (data) => data.roles!,
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/roles",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation CreateRole($input: CreateRoleInput!) { createRole(input: $input) { ${roleFields} } }`,
    respond: (data) => ({ status: 201, body: data.createRole }),
    responseSchema: (data) => data.createRole!,
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/organizations/roles/:key",
    casing: "pascal",
    operation: `mutation UpdateRole($key: String!, $name: String, $description: String, $permissions: [String!], $buyerAssignable: Boolean) {
      updateRole(key: $key, input: { name: $name, description: $description, permissions: $permissions, buyerAssignable: $buyerAssignable }) { ${roleFields} }
    }`,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/roles/:key",
    casing: "pascal",
    operation: `mutation DeleteRole($key: String!) { deleteRole(key: $key) { ${roleFields} } }`,
    // A role still held is a state conflict, not bad input: the request is right, the moment is not.
    statusFor: { CONFLICT: 409 },
  }),
  defineRoute({
    method: "PUT",
    path: "/api/organizations/users/roles",
    casing: "pascal",
    operation: `mutation SetUserRoles($userId: String!, $roles: [String!]!) {
      setUserRoles(userId: $userId, roles: $roles) { id firstName lastName email roles customRoles }
    }`,
  }),
];

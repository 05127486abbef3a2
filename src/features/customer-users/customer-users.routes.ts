import { bareList, defineRoute } from "../../rest/route.js";

const userFields = "userId email firstName lastName customerNumber roles";

/** A customer's own people, in the PascalCase of the user routes. */
export const customerUserRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/customer/users",
    casing: "pascal",
    operation: `query MyCustomerUsers { myCustomerUsers { ${userFields} } }`,
    respond: (data) => bareList(data.myCustomerUsers),
    responseSchema: (data) => data.myCustomerUsers!,
  }),
  defineRoute({
    method: "POST",
    path: "/api/customer/users",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation InviteCustomerUser($input: InviteCustomerUserInput!) { inviteCustomerUser(input: $input) { ${userFields} } }`,
    respond: (data) => ({ status: 201, body: data.inviteCustomerUser }),
    responseSchema: (data) => data.inviteCustomerUser!,
  }),
  defineRoute({
    method: "PUT",
    path: "/api/customer/users/roles",
    casing: "pascal",
    operation: `mutation SetMyCustomerUserRoles($userId: String!, $roles: [String!]!) {
      setMyCustomerUserRoles(userId: $userId, roles: $roles) { ${userFields} }
    }`,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/customer/users",
    casing: "pascal",
    operation: `mutation RemoveMyCustomerUser($userId: String!) { removeMyCustomerUser(userId: $userId) { ${userFields} } }`,
  }),
];

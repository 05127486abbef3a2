import { bareList, defineRoute } from "../../rest/route.js";

const userFields = "userId email firstName lastName customerNumber roles scope";

/**
 * A customer's own people, in the PascalCase of the user routes; `CustomerNumber` (query or body)
 * picks a customer below the caller's when its scope inherits.
 */
export const customerUserRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/customer/users",
    casing: "pascal",
    operation: `query MyCustomerUsers($customerNumber: String) {
      myCustomerUsers(customerNumber: $customerNumber) { ${userFields} }
    }`,
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
    operation: `mutation SetMyCustomerUserRoles($userId: String!, $roles: [String!]!, $customerNumber: String, $scope: BuyerScope) {
      setMyCustomerUserRoles(userId: $userId, roles: $roles, customerNumber: $customerNumber, scope: $scope) { ${userFields} }
    }`,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/customer/users",
    casing: "pascal",
    operation: `mutation RemoveMyCustomerUser($userId: String!, $customerNumber: String) {
      removeMyCustomerUser(userId: $userId, customerNumber: $customerNumber) { ${userFields} }
    }`,
  }),
];

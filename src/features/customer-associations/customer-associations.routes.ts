import { filteredPageArguments, filteredPageVariables } from "../../rest/list-arguments.js";
import { bareList, defineRoute, objectSchema, successBody } from "../../rest/route.js";

const association = "userId customerNumber organizationId";

export const customerAssociationRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/organizations/users/associate-customer",
    casing: "pascal",
    operation: `mutation AssociateUserCustomer($userId: String!, $customerNumber: String!) {
      associateUserCustomer(userId: $userId, customerNumber: $customerNumber) { ${association} }
    }`,
    respond: (data) => ({ body: { association: data.associateUserCustomer } }),
    responseSchema: (data) => objectSchema({ association: data.associateUserCustomer! }),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/users/associate-customer",
    casing: "pascal",
    operation: `mutation DissociateUserCustomer($userId: String!, $customerNumber: String!) {
      dissociateUserCustomer(userId: $userId, customerNumber: $customerNumber) { userId }
    }`,
    respond: successBody,
  }),
  defineRoute({
    method: "PUT",
    path: "/api/organizations/users/customer-roles",
    casing: "pascal",
    operation: `mutation SetCustomerUserRoles($userId: String!, $customerNumber: String!, $roles: [String!]!, $scope: BuyerScope) {
      setCustomerUserRoles(userId: $userId, customerNumber: $customerNumber, roles: $roles, scope: $scope) {
        ${association} roles scope
      }
    }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/organizations/users/associations",
    casing: "pascal",
    operation: `query UserCustomerAssociations(${filteredPageVariables("AssociationSortField")}) {
      userCustomerAssociations(${filteredPageArguments}) {
        data: items { ${association} } totalCount pageNumber pageSize
      }
    }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/users/customer-association",
    casing: "pascal",
    operation: `query CustomerAssociation($userId: String!) { customerAssociation(userId: $userId) { ${association} } }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/users/customer-associations",
    casing: "pascal",
    operation: `query CustomerAssociations($userId: String!) { customerAssociations(userId: $userId) { ${association} } }`,
    respond: (data) => bareList(data.customerAssociations),
    responseSchema: (data) => data.customerAssociations!,
  }),
];

import { bareList, defineRoute, successBody } from "../../rest/route.js";

const roleFields =
  "id key name description scope { any { attribute equals customerNumbers descendantsOf } } createdAt updatedAt";

/** The organization's sales-rep roles, in the PascalCase of the organization documents. */
export const salesRepRoleRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/organizations/sales-rep-roles",
    casing: "pascal",
    operation: `query SalesRepRoles { salesRepRoles { ${roleFields} } }`,
    respond: (data) => bareList(data.salesRepRoles),
    responseSchema: (data) => data.salesRepRoles!,
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/sales-rep-roles",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation CreateSalesRepRole($input: CreateSalesRepRoleInput!) {
      createSalesRepRole(input: $input) { ${roleFields} }
    }`,
    respond: (data) => ({ status: 201, body: data.createSalesRepRole }),
    responseSchema: (data) => data.createSalesRepRole!,
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/organizations/sales-rep-roles/:key",
    casing: "pascal",
    operation: `mutation UpdateSalesRepRole($key: String!, $name: String, $description: String, $scope: SalesRepScopeInput) {
      updateSalesRepRole(key: $key, input: { name: $name, description: $description, scope: $scope }) { ${roleFields} }
    }`,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/sales-rep-roles/:key",
    casing: "pascal",
    operation: `mutation DeleteSalesRepRole($key: String!) { deleteSalesRepRole(key: $key) { deletedSalesRepRoleId } }`,
    respond: successBody,
  }),
];

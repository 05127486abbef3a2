import { defineRoute } from "../../rest/route.js";

const customerFields = `id customerNumber companyName companyEmail companyPhone companyFax pricing currencyCode active
  repNumber terms externalId customerAttributes`;

export const customerRoutes = [
  defineRoute({
    method: "PUT",
    path: "/api/customers",
    casing: "camel",
    bodyAs: "input",
    operation: `mutation UpsertCustomer($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { ${customerFields} } }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/customers",
    casing: "camel",
    operation: `query Customers($pageNumber: Int, $pageSize: Int, $sortOn: String, $sortDirection: String, $filters: [ListFilter!]) {
      customers(pageNumber: $pageNumber, pageSize: $pageSize, sortOn: $sortOn, sortDirection: $sortDirection, filters: $filters) {
        data: items { ${customerFields} } totalRecords: totalCount currentPage: pageNumber totalPages
      }
    }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/customers/:customerNumber",
    casing: "camel",
    operation: `query Customer($customerNumber: String!) { customer(customerNumber: $customerNumber) { ${customerFields} } }`,
  }),
];

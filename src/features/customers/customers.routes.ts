import { filteredPageArguments, filteredPageVariables } from "../../rest/list-arguments.js";
import { defineRoute } from "../../rest/route.js";

/** The documented customer fields; GET /api/salesreps/customers answers the same shape. */
export const customerFields = `id customerNumber companyName companyEmail companyPhone companyFax pricing currencyCode active
  repNumber terms externalId customerAttributes`;

/** `{ data, totalRecords, currentPage, totalPages }` as the customers API pages. */
export const customerPageSelection = `data: items { ${customerFields} } totalRecords: totalCount currentPage: pageNumber totalPages`;

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
    operation: `query Customers(${filteredPageVariables("CustomerSortField")}) {
      customers(${filteredPageArguments}) {
        ${customerPageSelection}
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

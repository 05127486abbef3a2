import { filteredPageArguments, filteredPageVariables } from "../../rest/list-arguments.js";
import { defineRoute, propertiesOf, type JsonSchema, type RestResponse } from "../../rest/route.js";

/** The documented customer fields; GET /api/salesreps/customers answers the same shape. */
export const customerFields = `id customerNumber companyName companyEmail companyPhone companyFax pricing currencyCode active
  repNumber terms externalId customerAttributes`;

/** `{ data, totalRecords, currentPage, totalPages }` as the customers API pages. */
export const customerPageSelection = `data: items { ${customerFields} } totalRecords: totalCount currentPage: pageNumber totalPages`;

const erpKeys = [
  "parentCustomerNumber",
  "paymentTermsCode",
  "netDays",
  "creditLimit",
  "creditCurrency",
  "creditHold",
  "availableCredit",
];

/** The documented fields and the ERP ones, for the routes that answer a customer. */
export const customerErpFields = `${customerFields} ${erpKeys.join(" ")}`;

/**
 * The ERP fields appear only where they hold something (not null, not false), so a customer that
 * never had one answers exactly the documented shape.
 */
function withoutEmptyErpFields(customer: unknown): unknown {
  if (!customer || typeof customer !== "object") return customer;
  return Object.fromEntries(
    Object.entries(customer).filter(([key, value]) => !erpKeys.includes(key) || (value !== null && value !== false)),
  );
}

function erpFieldsOptional(schema: JsonSchema | undefined): JsonSchema {
  const required = (schema?.required ?? []) as string[];
  return { ...schema, required: required.filter((key) => !erpKeys.includes(key)) };
}

const oneCustomer = (data: Record<string, unknown>): RestResponse => ({
  body: withoutEmptyErpFields(Object.values(data)[0]),
});
const oneCustomerSchema = (data: Record<string, JsonSchema>) => erpFieldsOptional(Object.values(data)[0]);

export const customerRoutes = [
  defineRoute({
    method: "PUT",
    path: "/api/customers",
    casing: "camel",
    bodyAs: "input",
    operation: `mutation UpsertCustomer($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { ${customerErpFields} } }`,
    respond: oneCustomer,
    responseSchema: oneCustomerSchema,
  }),
  defineRoute({
    method: "GET",
    path: "/api/customers",
    casing: "camel",
    operation: `query Customers(${filteredPageVariables("CustomerSortField")}, $parentCustomerNumber: String, $rootCustomerNumber: String) {
      customers(${filteredPageArguments}, parentCustomerNumber: $parentCustomerNumber, rootCustomerNumber: $rootCustomerNumber) {
        data: items { ${customerErpFields} } totalRecords: totalCount currentPage: pageNumber totalPages
      }
    }`,
    respond: ({ customers }) => {
      const page = customers as { data: unknown[] };
      return { body: { ...page, data: page.data.map(withoutEmptyErpFields) } };
    },
    responseSchema: ({ customers }) => {
      const properties = propertiesOf(customers);
      const data = properties.data!;
      return {
        ...customers,
        properties: { ...properties, data: { ...data, items: erpFieldsOptional(data.items as JsonSchema) } },
      };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/api/customers/:customerNumber",
    casing: "camel",
    operation: `query Customer($customerNumber: String!) { customer(customerNumber: $customerNumber) { ${customerErpFields} } }`,
    respond: oneCustomer,
    responseSchema: oneCustomerSchema,
  }),
  defineRoute({
    method: "PUT",
    path: "/api/customers/batch",
    casing: "camel",
    // 1,000 customers with a few addresses each are well over the server-wide 256 KB.
    bodyLimit: 4 * 1024 * 1024,
    operation: `mutation UpsertCustomers($input: [UpsertCustomersItemInput!]!, $partial: Boolean) {
      upsertCustomers(input: $input, partial: $partial) {
        created updated unchanged failed
        results { index customerNumber status errors { field message } customer { id } addresses { addressNumber status } }
      }
    }`,
  }),
];

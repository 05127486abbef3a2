import { bareList, defineRoute } from "../../rest/route.js";

const addressFields = `addressNumber type companyName contactName line1 line2 line3 city region postalCode country phone
  isDefault externalId`;

export const customerAddressRoutes = [
  defineRoute({
    method: "PUT",
    path: "/api/customers/:customerNumber/addresses",
    casing: "camel",
    operation: `mutation UpsertCustomerAddresses($customerNumber: String!, $addresses: [CustomerAddressInput!]!) {
      upsertCustomerAddresses(customerNumber: $customerNumber, addresses: $addresses) {
        customerNumber results { addressNumber status address { ${addressFields} } }
      }
    }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/customers/:customerNumber/addresses",
    casing: "camel",
    operation: `query CustomerAddresses($customerNumber: String!) {
      customerAddresses(customerNumber: $customerNumber) { ${addressFields} }
    }`,
    respond: ({ customerAddresses }) => bareList(customerAddresses),
    responseSchema: ({ customerAddresses }) => customerAddresses!,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/customers/:customerNumber/addresses/:addressNumber",
    casing: "camel",
    operation: `mutation DeleteCustomerAddress($customerNumber: String!, $addressNumber: String!) {
      deleteCustomerAddress(customerNumber: $customerNumber, addressNumber: $addressNumber) {
        customerNumber deletedAddressNumber
      }
    }`,
  }),
];

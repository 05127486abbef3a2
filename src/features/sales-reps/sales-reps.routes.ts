import {
  filteredPageArguments,
  filteredPageVariables,
  pageArguments,
  pageVariables,
} from "../../rest/list-arguments.js";
import { bareList, defineRoute, emptyBody, objectSchema, propertiesOf, successBody } from "../../rest/route.js";
import { customerPageSelection } from "../customers/customers.routes.js";

const listFields = `organizationId organizationSalesRepId: id salesRepId firstName lastName email phoneNumber repNumber active pending`;

const addedFields = `organizationId organizationName organizationSalesRepId: id salesRepId firstName lastName email phoneNumber
  repNumber identityProvider identityProviderUserId`;

const myFields = `organizationId organizationName identityOrganizationId identityProviderUserId organizationSalesRepId: id
  salesRepId repNumber firstName lastName email phoneNumber active`;

const createdFields = `id email firstName lastName phoneNumber status verifiedEmail
  salesRepCompanies: assignments { id company: organizationId customers: customerIds accessType }
  metaFields { id code value }
  createdBy { name type }
  createdAt updatedAt`;

export const salesRepRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/salesreps/organizations",
    casing: "camel",
    operation: `query MySalesRepOrganizations { mySalesRepOrganizations { ${myFields} } }`,
    respond: (data) => ({ body: { salesRepOrganizations: data.mySalesRepOrganizations } }),
    responseSchema: (data) => objectSchema({ salesRepOrganizations: data.mySalesRepOrganizations! }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/salesreps/customers",
    casing: "camel",
    operation: `query MySalesRepCustomers(${filteredPageVariables("CustomerSortField")}) {
      mySalesRepCustomers(${filteredPageArguments}) {
        ${customerPageSelection}
      }
    }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/organizations/salesreps",
    casing: "camel",
    operation: `query OrganizationSalesReps(${pageVariables("SalesRepSortField")}) {
      organizationSalesReps(${pageArguments}) {
        totalCount items { ${listFields} }
      }
    }`,
    respond: (data) => {
      const page = data.organizationSalesReps as { totalCount: number; items: unknown[] };
      return bareList(page.items, page.totalCount);
    },
    responseSchema: (data) => propertiesOf(data.organizationSalesReps).items!,
  }),
  defineRoute({
    method: "PUT",
    path: "/api/organizations/salesreps",
    casing: "camel",
    bodyAs: "input",
    operation: `mutation AddSalesRep($input: AddSalesRepInput!) { addSalesRep(input: $input) { ${addedFields} } }`,
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/organizations/salesreps",
    casing: "camel",
    operation: `mutation UpdateSalesRepNumber($organizationSalesRepId: String!, $repNumber: String!) {
      updateSalesRepNumber(organizationSalesRepId: $organizationSalesRepId, repNumber: $repNumber) {
        organizationId organizationSalesRepId: id salesRepId repNumber firstName lastName email
      }
    }`,
    respond: (data) => ({ body: { ...(data.updateSalesRepNumber as object), success: true } }),
    responseSchema: (data) =>
      objectSchema({ ...propertiesOf(data.updateSalesRepNumber), success: { type: "boolean", const: true } }),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/organizations/salesreps/access",
    casing: "camel",
    bodyAs: "input",
    operation: `mutation SetSalesRepAccess($input: SetSalesRepAccessInput!) {
      setSalesRepAccess(input: $input) {
        organizationId organizationSalesRepId: id salesRepId repNumber accessType salesRepRole includeDescendants
        firstName lastName email
      }
    }`,
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/salesreps/activate",
    casing: "camel",
    operation: `mutation ActivateSalesRep($organizationSalesRepId: String!) {
      activateSalesRep(organizationSalesRepId: $organizationSalesRepId) { id }
    }`,
    respond: emptyBody,
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/salesreps/deactivate",
    casing: "camel",
    operation: `mutation DeactivateSalesRep($organizationSalesRepId: String!) {
      deactivateSalesRep(organizationSalesRepId: $organizationSalesRepId) { id }
    }`,
    respond: emptyBody,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/salesreps",
    casing: "camel",
    operation: `mutation RemoveSalesRep($organizationSalesRepId: String!) {
      removeSalesRep(organizationSalesRepId: $organizationSalesRepId) { removedOrganizationSalesRepId }
    }`,
    respond: successBody,
  }),
  defineRoute({
    method: "POST",
    path: "/api/salesRep",
    casing: "camel",
    bodyAs: "input",
    errorFormat: "envelope",
    // The document names an accessToken header; Fastify lower-cases header names.
    tokenHeaders: ["authorization", "accesstoken"],
    operation: `mutation CreateSalesRep($input: CreateSalesRepInput!) { createSalesRep(input: $input) { ${createdFields} } }`,
    respond: (data) => ({
      body: { success: true, message: "SalesRep created successfully", data: data.createSalesRep },
    }),
    responseSchema: (data) =>
      objectSchema({
        success: { type: "boolean", const: true },
        message: { type: "string" },
        data: data.createSalesRep!,
      }),
  }),
];

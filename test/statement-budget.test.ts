import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";

/**
 * SQL statements per list request, as the drizzle logger sees them, must not grow. The ceilings
 * are today's counts; lower them when a list gets cheaper (bench/results.md counts the same
 * requests on the wire, where transaction control statements show too).
 */
const ceilings = {
  // The role check, then one compiled statement for the page with every nested list.
  "GraphQL organizationSalesReps, every field": 2,
  "REST GET /api/organizations/salesreps": 2,
  "GraphQL customers": 2,
  "REST GET /api/customers": 2,
  // The rep's reach is in the customers list's one compiled statement.
  "GraphQL mySalesRepCustomers": 2,
  "REST GET /api/salesreps/customers": 2,
  // A sales-rep role's scope rule is matched inside the same statement, not read before it.
  "REST GET /api/salesreps/customers, access type role": 2,
  // The organization with its subscriptions and entitlements as JSON in one compiled statement.
  "GraphQL organization, every field": 2,
  "REST GET /api/organization": 2,
  // The members with their roles in one compiled statement.
  "GraphQL organizationUsers": 2,
  "REST GET /api/organizations/users": 2,
  // The associations page with its filters in one compiled statement.
  "GraphQL userCustomerAssociations": 2,
  "REST GET /api/organizations/users/associations": 2,
  "REST GET /api/users/customer-association": 2,
  "REST GET /api/users/customer-associations": 2,
  "REST GET /api/customers/{customerNumber}, access type customer": 3,
  "REST GET /api/customers/{customerNumber}, access type role": 3,
};

let statements = 0;
let kit: TestKit;
let client: Client;
let org: Organization;
let repToken: string;
let roleRepToken: string;
let buyerUserId: string;

beforeAll(async () => {
  kit = await testKit({
    mail: true,
    queryLogger: {
      logQuery: (query) => {
        // The outbox and webhook workers poll in the background; they are no request's cost.
        if (!/"(mail_outbox|webhook_deliveries)"/.test(query)) statements++;
      },
    },
  });
  client = kit.client;
  org = await kit.organization();
  const customers = [];
  for (let i = 0; i < 3; i++)
    customers.push(
      await org.customer({
        repNumber: "R-1",
        customerNumber: `B-${i}`,
        customerAttributes: { territory: "East" },
      }),
    );
  const buyer = await org.member();
  buyerUserId = buyer.userId;
  await org.associate(buyerUserId, "B-0");
  const reps = [];
  for (let i = 0; i < 3; i++) reps.push(await org.salesRep({ repNumber: `R-${i}` }));
  repToken = await org.repToken(reps[1]!.email);
  const role = await client.post("/api/organizations/sales-rep-roles", {
    token: org.adminToken,
    body: { Key: "east", Name: "East", Scope: { Any: [{ Attribute: "territory", Equals: "East" }] } },
  });
  expect(role.status).toBe(201);
  const access = await client.patch("/api/organizations/salesreps/access", {
    token: org.adminToken,
    body: { organizationSalesRepId: reps[2]!.organizationSalesRepId, accessType: "role", salesRepRole: "east" },
  });
  expect(access.status).toBe(200);
  roleRepToken = await org.repToken(reps[2]!.email);
});
afterAll(() => kit?.close());

const repFields = `id organizationId organizationName identityOrganizationId salesRepId userId repNumber active accessType
  firstName lastName email phoneNumber identityProvider identityProviderUserId customerIds createdAt updatedAt
  salesRep { id userId status verifiedEmail email firstName lastName phoneNumber identityProvider identityProviderUserId
    createdAt updatedAt createdBy { name type } metaFields { id code value }
    assignments { id organizationId organizationName repNumber active accessType customerIds } }`;
const organizationFields = `id identityOrganizationId name slug billingAddress1 billingAddress2 billingCity
  billingStateProvince billingPostalCode billingCountry phoneNumber email website defaultPriceTier
  subscriptions { id planCode status quantity currentPeriodEnd } entitlements { code name limit }`;
const customerFields = `id customerNumber companyName companyEmail companyPhone companyFax pricing currencyCode active
  repNumber terms externalId customerAttributes`;

const requests: Record<keyof typeof ceilings, () => Promise<{ status: number }>> = {
  "GraphQL organizationSalesReps, every field": () =>
    client.graphql(`{ organizationSalesReps { totalCount items { ${repFields} } } }`, {}, org.adminToken),
  "REST GET /api/organizations/salesreps": () => client.get("/api/organizations/salesreps", { token: org.adminToken }),
  "GraphQL customers": () =>
    client.graphql(`{ customers { totalCount items { ${customerFields} } } }`, {}, org.adminToken),
  "REST GET /api/customers": () => client.get("/api/customers", { token: org.adminToken }),
  "GraphQL mySalesRepCustomers": () =>
    client.graphql(`{ mySalesRepCustomers { totalCount items { ${customerFields} } } }`, {}, repToken),
  "REST GET /api/salesreps/customers": () => client.get("/api/salesreps/customers", { token: repToken }),
  "REST GET /api/salesreps/customers, access type role": async () => {
    const result = await client.get("/api/salesreps/customers", { token: roleRepToken });
    expect(result.body.totalRecords).toBe(3);
    return result;
  },
  "GraphQL organization, every field": () =>
    client.graphql(`{ organization { ${organizationFields} } }`, {}, org.adminToken),
  "REST GET /api/organization": () => client.get("/api/organization", { token: org.adminToken }),
  "GraphQL organizationUsers": () =>
    client.graphql(
      `{ organizationUsers { totalCount items { id email firstName lastName roles pending customRoles } } }`,
      {},
      org.adminToken,
    ),
  "REST GET /api/organizations/users": () => client.get("/api/organizations/users", { token: org.adminToken }),
  "GraphQL userCustomerAssociations": () =>
    client.graphql(
      `{ userCustomerAssociations(filters: [{ field: "customerNumber", operator: STARTS_WITH, value: "B" }]) {
        totalCount items { userId customerNumber organizationId roles scope } } }`,
      {},
      org.adminToken,
    ),
  "REST GET /api/organizations/users/associations": () =>
    client.get("/api/organizations/users/associations", { token: org.adminToken }),
  "REST GET /api/users/customer-association": () =>
    client.get("/api/users/customer-association", { token: org.adminToken, query: { UserId: buyerUserId } }),
  "REST GET /api/users/customer-associations": () =>
    client.get("/api/users/customer-associations", { token: org.adminToken, query: { UserId: buyerUserId } }),
  "REST GET /api/customers/{customerNumber}, access type customer": () =>
    client.get("/api/customers/B-0", { token: repToken }),
  "REST GET /api/customers/{customerNumber}, access type role": () =>
    client.get("/api/customers/B-0", { token: roleRepToken }),
};

describe("SQL statements per list request", () => {
  for (const [name, request] of Object.entries(requests)) {
    it(`${name}: at most ${ceilings[name as keyof typeof ceilings]}`, async () => {
      statements = 0;
      const result = (await request()) as { status: number; errors?: unknown };
      expect(result.errors).toBeUndefined();
      expect(result.status).toBe(200);
      expect(statements).toBeLessThanOrEqual(ceilings[name as keyof typeof ceilings]);
    });
  }
});

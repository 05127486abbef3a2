import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Member } from "./support/customer-seed.js";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { accessToken, claims, signIn, unique } from "./support/seed.js";

const associatePath = "/api/organizations/users/associate-customer";
const listPath = "/api/organizations/users/associations";
const onePath = "/api/users/customer-association";
const allPath = "/api/users/customer-associations";

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;
/** An organization with exactly three associations, for paging, sorting and filters. */
let listing: Organization;
let listed: { userId: string; customerNumber: string }[];

beforeAll(async () => {
  kit = await testKit();
  client = kit.client;
  [acme, other, listing] = await Promise.all([kit.organization(), kit.organization(), kit.organization()]);
  const members = await Promise.all([listing.member(), listing.member(), listing.member()]);
  listed = [];
  for (const [index, member] of members.entries()) {
    const customerNumber = ["A-2", "A-3", "A-1"][index]!;
    await listing.customer({ customerNumber });
    await listing.associate(member.userId, customerNumber);
    listed.push({ userId: member.userId, customerNumber });
  }
});
afterAll(() => kit?.close());

const list = (query: Record<string, string | number>, token = listing.adminToken) =>
  client.get(listPath, { token, query });
const userIds = (body: { Data: { UserId: string }[] }) => body.Data.map((association) => association.UserId);
const byUserId = () =>
  [...listed].sort((a, b) => (a.userId < b.userId ? -1 : 1)).map((association) => association.userId);

describe("POST /api/organizations/users/associate-customer", () => {
  it("links a member to a customer and answers the association", async () => {
    const member = await acme.member();
    const customer = await acme.customer();
    const result = await client.post(associatePath, {
      token: acme.adminToken,
      body: { UserId: member.userId, CustomerNumber: customer.customerNumber },
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      Association: {
        UserId: member.userId,
        CustomerNumber: customer.customerNumber,
        OrganizationId: acme.organizationId,
      },
    });
  });

  it("binds keys case-insensitively", async () => {
    const member = await acme.member();
    const customer = await acme.customer();
    const result = await client.post(associatePath, {
      token: acme.adminToken,
      body: { userid: member.userId, customernumber: customer.customerNumber },
    });
    expect(result.status).toBe(200);
  });

  it("answers 400 naming each missing field", async () => {
    const result = await client.post(associatePath, { token: acme.adminToken, body: {} });
    expect(result.status).toBe(400);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(Object.keys(result.body.errors).sort()).toEqual(["CustomerNumber", "UserId"]);
    const blank = await client.post(associatePath, {
      token: acme.adminToken,
      body: { UserId: " ", CustomerNumber: "C" },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toHaveProperty("UserId");
  });

  it("answers 400 for a user who is not a member and a customer that does not exist", async () => {
    const member = await acme.member();
    const customer = await acme.customer();
    const stranger = await kit.organization();

    const user = await client.post(associatePath, {
      token: acme.adminToken,
      body: { UserId: stranger.admin.userId, CustomerNumber: customer.customerNumber },
    });
    expect(user.status).toBe(400);
    expect(Object.keys(user.body.errors)).toEqual(["UserId"]);
    const unknown = await client.post(associatePath, {
      token: acme.adminToken,
      body: { UserId: unique("kp"), CustomerNumber: customer.customerNumber },
    });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors)).toEqual(["UserId"]);

    const number = await client.post(associatePath, {
      token: acme.adminToken,
      body: { UserId: member.userId, CustomerNumber: unique("C") },
    });
    expect(number.status).toBe(400);
    expect(Object.keys(number.body.errors)).toEqual(["CustomerNumber"]);

    const both = await client.post(associatePath, {
      token: acme.adminToken,
      body: { UserId: stranger.admin.userId, CustomerNumber: unique("C") },
    });
    expect(Object.keys(both.body.errors).sort()).toEqual(["CustomerNumber", "UserId"]);
  });

  it("replaces a user's earlier association in the organization", async () => {
    const member = await acme.member();
    const first = await acme.customer();
    const second = await acme.customer();
    await acme.associate(member.userId, first.customerNumber);
    const again = await client.post(associatePath, {
      token: acme.adminToken,
      body: { UserId: member.userId, CustomerNumber: second.customerNumber },
    });
    expect(again.status).toBe(200);

    const one = await client.get(onePath, { token: acme.adminToken, query: { UserId: member.userId } });
    expect(one.body.CustomerNumber).toBe(second.customerNumber);
    const mine = await list(
      { "Filters[0].Field": "UserId", "Filters[0].Operator": "equals", "Filters[0].Value": member.userId },
      acme.adminToken,
    );
    expect(mine.body.Data).toEqual([
      { UserId: member.userId, CustomerNumber: second.customerNumber, OrganizationId: acme.organizationId },
    ]);
  });
});

describe("GET /api/organizations/users/associations", () => {
  it("answers the documented PascalCase page, sorted on UserId by default", async () => {
    const result = await list({});
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(["Data", "PageNumber", "PageSize", "TotalCount"]);
    expect(result.body).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 25 });
    expect(Object.keys(result.body.Data[0]).sort()).toEqual(["CustomerNumber", "OrganizationId", "UserId"]);
    expect(userIds(result.body)).toEqual(byUserId());
    expect(
      result.body.Data.every((row: { OrganizationId: string }) => row.OrganizationId === listing.organizationId),
    ).toBe(true);
  });

  it("pages", async () => {
    const second = await list({ PageNumber: 2, PageSize: 2 });
    expect(second.body).toMatchObject({ TotalCount: 3, PageNumber: 2, PageSize: 2 });
    expect(userIds(second.body)).toEqual(byUserId().slice(2));
    const beyond = await list({ pageNumber: 3, pageSize: 2 });
    expect(beyond.body).toMatchObject({ Data: [], TotalCount: 3, PageNumber: 3 });
  });

  it("sorts on UserId and CustomerNumber, both directions", async () => {
    expect(userIds((await list({ SortOn: "UserId", SortDirection: "desc" })).body)).toEqual(byUserId().reverse());
    const ascending = await list({ sortOn: "customernumber", sortDirection: "ASC" });
    expect(ascending.body.Data.map((row: { CustomerNumber: string }) => row.CustomerNumber)).toEqual([
      "A-1",
      "A-2",
      "A-3",
    ]);
    const descending = await list({ SortOn: "CustomerNumber", SortDirection: "desc" });
    expect(descending.body.Data.map((row: { CustomerNumber: string }) => row.CustomerNumber)).toEqual([
      "A-3",
      "A-2",
      "A-1",
    ]);
  });

  it("answers 400 for page bounds, unknown sort fields and directions", async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ PageSize: 0 }, "PageSize"],
      [{ PageSize: 101 }, "PageSize"],
      [{ PageNumber: 0 }, "PageNumber"],
      [{ PageNumber: -1 }, "PageNumber"],
      [{ PageSize: "many" }, "PageSize"],
      [{ SortOn: "OrganizationId" }, "SortOn"],
      [{ SortDirection: "sideways" }, "SortDirection"],
    ];
    for (const [query, field] of cases) {
      const result = await list(query);
      expect(result.status, JSON.stringify(query)).toBe(400);
      expect(result.body.errors, JSON.stringify(query)).toHaveProperty(field);
    }
  });

  it("filters with indexed query parameters and with one JSON-encoded Filters parameter", async () => {
    const target = listed[1]!;
    const indexed = await list({
      "Filters[0].Field": "UserId",
      "Filters[0].Operator": "contains",
      "Filters[0].Value": target.userId.slice(4, 14).toUpperCase(),
    });
    expect(indexed.status).toBe(200);
    expect(indexed.body.Data).toEqual([
      { UserId: target.userId, CustomerNumber: target.customerNumber, OrganizationId: listing.organizationId },
    ]);
    expect(indexed.body.TotalCount).toBe(1);

    const filter = (Field: string, Operator: string, Value: string) => ({ Field, Operator, Value });
    const cases: [object[], string[]][] = [
      [[filter("CustomerNumber", "startswith", "a-")], ["A-1", "A-2", "A-3"]],
      [[filter("CustomerNumber", "endswith", "3")], ["A-3"]],
      [[filter("CustomerNumber", "notcontains", "2")], ["A-1", "A-3"]],
      [[filter("customerNumber", "notequals", "A-1")], ["A-2", "A-3"]],
      [[filter("CustomerNumber", "gt", "A-1"), filter("CustomerNumber", "lt", "A-3")], ["A-2"]],
      [
        [filter("CustomerNumber", "gte", "A-2"), filter("CustomerNumber", "lte", "A-3")],
        ["A-2", "A-3"],
      ],
      [[filter("UserId", "startswith", target.userId)], [target.customerNumber]],
    ];
    for (const [filters, expected] of cases) {
      const result = await list({ Filters: JSON.stringify(filters), SortOn: "CustomerNumber" });
      expect(result.status, JSON.stringify(filters)).toBe(200);
      expect(
        result.body.Data.map((row: { CustomerNumber: string }) => row.CustomerNumber),
        JSON.stringify(filters),
      ).toEqual(expected);
    }
  });

  it("answers 400 for an unknown filter field or operator", async () => {
    const field = await list({
      "Filters[0].Field": "OrganizationId",
      "Filters[0].Operator": "equals",
      "Filters[0].Value": "x",
    });
    expect(field.status).toBe(400);
    expect(field.body.errors).toHaveProperty(["Filters[0].Field"]);
    const operator = await list({ Filters: JSON.stringify([{ Field: "UserId", Operator: "regex", Value: "x" }]) });
    expect(operator.status).toBe(400);
    expect(operator.body.errors).toHaveProperty(["Filters[0].Operator"]);
    const malformed = await list({ Filters: "[not json" });
    expect(malformed.status).toBe(400);
  });
});

describe("GET /api/users/customer-association", () => {
  it("answers the user's association in the caller's organization", async () => {
    const target = listed[0]!;
    const result = await client.get(onePath, { token: listing.adminToken, query: { UserId: target.userId } });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      UserId: target.userId,
      CustomerNumber: target.customerNumber,
      OrganizationId: listing.organizationId,
    });
    const lower = await client.get(onePath, { token: listing.adminToken, query: { userid: target.userId } });
    expect(lower.body).toEqual(result.body);
  });

  it("answers 404 when the user has none here and 400 when UserId is missing", async () => {
    const none = await client.get(onePath, { token: listing.adminToken, query: { UserId: listing.admin.userId } });
    expect(none.status).toBe(404);
    expect(none.headers.get("content-type")).toContain("application/problem+json");
    const missing = await client.get(onePath, { token: listing.adminToken });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty("UserId");
    const empty = await client.get(onePath, { token: listing.adminToken, query: { UserId: "" } });
    expect(empty.status).toBe(400);
  });
});

describe("GET /api/users/customer-associations", () => {
  let member: Member;
  let sister: Organization;
  let foreign: Organization;
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    // acme's admin administers acme and sister; foreign is another tenant the member also belongs to.
    [sister, foreign] = await Promise.all([kit.organization(), kit.organization()]);
    await client.post("/api/organizations/users/admins", {
      token: sister.adminToken,
      body: { Email: acme.admin.email },
    });
    member = await acme.member();
    await sister.addMember(member);
    await foreign.addMember(member);
    for (const org of [acme, sister, foreign]) {
      const customer = await org.customer();
      await org.associate(member.userId, customer.customerNumber);
      numbers[org.organizationId] = customer.customerNumber;
    }
  });

  it("answers the user's associations in every organization the caller administers, as a bare array", async () => {
    const result = await client.get(allPath, { token: acme.adminToken, query: { UserId: member.userId } });
    expect(result.status).toBe(200);
    expect(result.headers.get("x-total-count")).toBe("2");
    const expected = [acme, sister].map((org) => ({
      UserId: member.userId,
      CustomerNumber: numbers[org.organizationId],
      OrganizationId: org.organizationId,
    }));
    const byOrganization = (a: { OrganizationId: string }, b: { OrganizationId: string }) =>
      a.OrganizationId < b.OrganizationId ? -1 : 1;
    expect(result.body).toEqual(expected.sort(byOrganization));
  });

  it("never answers another tenant's associations", async () => {
    const result = await client.get(allPath, { token: foreign.adminToken, query: { UserId: member.userId } });
    expect(result.body).toEqual([
      {
        UserId: member.userId,
        CustomerNumber: numbers[foreign.organizationId],
        OrganizationId: foreign.organizationId,
      },
    ]);
    const none = await client.get(allPath, { token: other.adminToken, query: { UserId: member.userId } });
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
    expect(none.headers.get("x-total-count")).toBe("0");
  });

  it("answers 400 when UserId is missing", async () => {
    const missing = await client.get(allPath, { token: acme.adminToken });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty("UserId");
  });
});

describe("customer tokens", () => {
  it("carry the associated customer's number, price tier and currency, and the Customer role", async () => {
    const org = await kit.organization();
    const tier = unique("Wholesale");
    await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: tier, CurrencyCode: "EUR" },
    });
    const customer = await org.customer({ pricing: tier });
    const member = await org.member();
    const identity = await signIn(client, member.email);
    const before = await client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(before.status).toBe(403);

    await org.associate(member.userId, customer.customerNumber);
    const token = claims(await accessToken(client, identity, org.identityOrganizationId));
    expect(token).toMatchObject({
      UserId: member.userId,
      OrganizationId: org.organizationId,
      Roles: ["Customer"],
      CustomerNumber: customer.customerNumber,
      PriceTier: tier,
      CurrencyCode: "EUR",
    });
  });

  it("fall back to the organization's default tier for a customer without one, and follow a new association", async () => {
    const org = await kit.organization();
    const tier = unique("Default");
    await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: tier, CurrencyCode: "GBP" },
    });
    const patched = await client.patch("/api/organization", {
      token: org.adminToken,
      body: { DefaultPriceTier: tier },
    });
    expect(patched.status).toBe(200);
    const plain = await org.customer();
    const member = await org.member();
    await org.associate(member.userId, plain.customerNumber);
    const identity = await signIn(client, member.email);
    expect(claims(await accessToken(client, identity, org.identityOrganizationId))).toMatchObject({
      CustomerNumber: plain.customerNumber,
      PriceTier: tier,
      CurrencyCode: "GBP",
    });

    const next = await org.customer();
    await org.associate(member.userId, next.customerNumber);
    expect(claims(await accessToken(client, identity, org.identityOrganizationId)).CustomerNumber).toBe(
      next.customerNumber,
    );
  });
});

describe("access", () => {
  const routes = [
    ["POST", associatePath],
    ["GET", listPath],
    ["GET", `${onePath}?UserId=x`],
    ["GET", `${allPath}?UserId=x`],
  ] as const;
  const body = { UserId: "x", CustomerNumber: "y" };

  it("answers 401 without a token or with a forged one", async () => {
    const forged = kit.tokens.tampered(acme.adminToken);
    for (const [method, path] of routes) {
      const send = method === "POST" ? { body } : {};
      expect((await client.request(method, path, send)).status, path).toBe(401);
      expect((await client.request(method, path, { ...send, token: forged })).status, path).toBe(401);
    }
  });

  it("answers 403 to an identity token and to a token without the Admin role", async () => {
    const identity = await signIn(client, acme.admin.email);
    const customer = (await acme.customerUser()).token;
    for (const [method, path] of routes) {
      const send = method === "POST" ? { body } : {};
      expect((await client.request(method, path, { ...send, token: identity })).status, path).toBe(403);
      expect((await client.request(method, path, { ...send, token: customer })).status, path).toBe(403);
    }
  });

  it("gives another organization's admin none of the first's associations, users or customers", async () => {
    const target = listed[0]!;
    const seen = await list({ PageSize: 100 }, other.adminToken);
    expect(seen.status).toBe(200);
    expect(
      seen.body.Data.filter((row: { OrganizationId: string }) => row.OrganizationId !== other.organizationId),
    ).toEqual([]);
    expect(userIds(seen.body)).not.toContain(target.userId);
    expect((await client.get(onePath, { token: other.adminToken, query: { UserId: target.userId } })).status).toBe(404);
    expect((await client.get(allPath, { token: other.adminToken, query: { UserId: target.userId } })).body).toEqual([]);

    const ownCustomer = await other.customer();
    const user = await client.post(associatePath, {
      token: other.adminToken,
      body: { UserId: target.userId, CustomerNumber: ownCustomer.customerNumber },
    });
    expect(user.status).toBe(400);
    expect(Object.keys(user.body.errors)).toEqual(["UserId"]);
    const ownMember = await other.member();
    const customer = await client.post(associatePath, {
      token: other.adminToken,
      body: { UserId: ownMember.userId, CustomerNumber: target.customerNumber },
    });
    expect(customer.status).toBe(400);
    expect(Object.keys(customer.body.errors)).toEqual(["CustomerNumber"]);

    const still = await client.get(onePath, { token: listing.adminToken, query: { UserId: target.userId } });
    expect(still.body.CustomerNumber).toBe(target.customerNumber);
  });
});

describe("GraphQL", () => {
  it("answers the same page and associations as REST", async () => {
    const rest = await list({
      SortOn: "CustomerNumber",
      SortDirection: "desc",
      PageSize: 2,
      Filters: JSON.stringify([{ Field: "CustomerNumber", Operator: "startswith", Value: "A" }]),
    });
    const result = await client.graphql(
      `query ($filters: [ListFilter!]) {
        userCustomerAssociations(sortOn: CUSTOMER_NUMBER, sortDirection: DESC, pageSize: 2, filters: $filters) {
          items { userId customerNumber organizationId } totalCount pageNumber pageSize totalPages
        }
      }`,
      { filters: [{ field: "CustomerNumber", operator: "STARTS_WITH", value: "A" }] },
      listing.adminToken,
    );
    expect(result.errors).toBeUndefined();
    const page = result.data.userCustomerAssociations;
    expect(page).toMatchObject({ totalCount: rest.body.TotalCount, pageNumber: 1, pageSize: 2, totalPages: 2 });
    expect(page.items).toEqual(
      rest.body.Data.map((row: Record<string, string>) => ({
        userId: row.UserId,
        customerNumber: row.CustomerNumber,
        organizationId: row.OrganizationId,
      })),
    );

    const target = listed[2]!;
    const one = await client.graphql(
      `query ($userId: String!) { customerAssociation(userId: $userId) { userId customerNumber organizationId } customerAssociations(userId: $userId) { customerNumber } }`,
      { userId: target.userId },
      listing.adminToken,
    );
    expect(one.data.customerAssociation).toEqual({
      userId: target.userId,
      customerNumber: target.customerNumber,
      organizationId: listing.organizationId,
    });
    expect(one.data.customerAssociations).toEqual([{ customerNumber: target.customerNumber }]);
  });

  it("associates, and gives refusals a code", async () => {
    const member = await other.member();
    const customer = await other.customer();
    const done = await client.graphql(
      `mutation ($userId: String!, $customerNumber: String!) { associateUserCustomer(userId: $userId, customerNumber: $customerNumber) { userId customerNumber organizationId } }`,
      { userId: member.userId, customerNumber: customer.customerNumber },
      other.adminToken,
    );
    expect(done.data.associateUserCustomer).toEqual({
      userId: member.userId,
      customerNumber: customer.customerNumber,
      organizationId: other.organizationId,
    });
    expect((await client.graphql(`{ userCustomerAssociations { totalCount } }`)).codes).toEqual(["UNAUTHENTICATED"]);
    expect(
      (await client.graphql(`{ customerAssociation(userId: "nobody") { userId } }`, {}, other.adminToken)).codes,
    ).toEqual(["NOT_FOUND"]);
  });
});

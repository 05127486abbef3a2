import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { signIn, unique } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;
/** An organization holding exactly the five customers below, for paging, sorting and filters. */
let listing: Organization;
/** Every SQL statement the server runs; the mail worker is off so nothing runs in the background. */
const statements: string[] = [];

const five = [
  { customerNumber: "C-001", companyName: "Delta", companyEmail: "m@example.com", repNumber: "R3" },
  { customerNumber: "C-002", companyName: "Alpha", companyEmail: "z@example.com", repNumber: "R5" },
  { customerNumber: "C-003", companyName: "Charlie", companyEmail: "a@example.com", repNumber: "R1" },
  { customerNumber: "C-004", companyName: "Bravo", companyEmail: "q@example.com", repNumber: "R4" },
  { customerNumber: "C-005", companyName: "Echo", companyEmail: "f@example.com", repNumber: "R2" },
];

const customerKeys = [
  "active",
  "companyEmail",
  "companyFax",
  "companyName",
  "companyPhone",
  "currencyCode",
  "customerAttributes",
  "customerNumber",
  "externalId",
  "id",
  "pricing",
  "repNumber",
  "terms",
];

beforeAll(async () => {
  kit = await testKit({ mailWorker: false, queryLogger: { logQuery: (query) => statements.push(query) } });
  client = kit.client;
  [acme, other, listing] = await Promise.all([kit.organization(), kit.organization(), kit.organization()]);
  for (const customer of five) await listing.customer(customer);
});
afterAll(() => kit?.close());

async function createTier(org: Organization, currencyCode = "USD") {
  const name = unique("Tier");
  const result = await client.post("/api/organizations/price-tiers", {
    token: org.adminToken,
    body: { Name: name, CurrencyCode: currencyCode },
  });
  expect(result.status).toBe(200);
  return name;
}

const list = (query: Record<string, string | number>, token = listing.adminToken) =>
  client.get("/api/customers", { token, query });
const numbers = (body: { data: { customerNumber: string }[] }) => body.data.map((customer) => customer.customerNumber);

describe("PUT /api/customers", () => {
  it("creates a customer and answers it camelCase with its id and tier currency", async () => {
    const tier = await createTier(acme, "CAD");
    const customerNumber = unique("C");
    const result = await client.put("/api/customers", {
      token: acme.adminToken,
      body: {
        customerNumber,
        companyName: "Acme Hardware",
        companyEmail: "orders@acme.example",
        companyPhone: "561-555-1212",
        companyFax: "561-555-1213",
        pricing: tier.toUpperCase(),
        repNumber: "R-7",
        terms: "Net 30",
        externalId: "erp-42",
        customerAttributes: { region: "South", tags: ["a", "b"], nested: { CamelCase: 1 } },
      },
    });
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(customerKeys);
    expect(result.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      customerNumber,
      companyName: "Acme Hardware",
      companyEmail: "orders@acme.example",
      companyPhone: "561-555-1212",
      companyFax: "561-555-1213",
      pricing: tier,
      currencyCode: "CAD",
      active: true,
      repNumber: "R-7",
      terms: "Net 30",
      externalId: "erp-42",
      customerAttributes: { region: "South", tags: ["a", "b"], nested: { CamelCase: 1 } },
    });
  });

  it("answers customerAttributes with their keys in the order every read answers them", async () => {
    const created = (await acme.customer({ customerAttributes: { zeta: 1, a: 2, middle: 3 } })) as unknown as {
      customerNumber: string;
      customerAttributes: Record<string, number>;
    };
    const read = await client.get(`/api/customers/${created.customerNumber}`, { token: acme.adminToken });
    expect(Object.keys(created.customerAttributes)).toEqual(Object.keys(read.body.customerAttributes));
  });

  it("binds keys case-insensitively and leaves optional fields empty", async () => {
    const result = await client.put("/api/customers", {
      token: acme.adminToken,
      body: { CustomerNumber: unique("C"), CompanyName: "Minimal" },
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      companyName: "Minimal",
      active: true,
      pricing: null,
      currencyCode: null,
      companyEmail: null,
      customerAttributes: null,
    });
  });

  it("updates the customer with the same customerNumber, keeping omitted fields and clearing nulls", async () => {
    const tier = await createTier(acme, "EUR");
    const created = await acme.customer({
      pricing: tier,
      terms: "Net 30",
      repNumber: "R1",
      companyEmail: "a@example.com",
    });
    const updated = await client.put("/api/customers", {
      token: acme.adminToken,
      body: {
        customerNumber: created.customerNumber,
        companyName: "Renamed",
        active: false,
        terms: null,
        customerAttributes: { vip: true },
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: created.id,
      companyName: "Renamed",
      active: false,
      terms: null,
      repNumber: "R1",
      companyEmail: "a@example.com",
      pricing: tier,
      currencyCode: "EUR",
      customerAttributes: { vip: true },
    });
    const cleared = await client.put("/api/customers", {
      token: acme.adminToken,
      body: { customerNumber: created.customerNumber, companyName: "Renamed", pricing: "" },
    });
    expect(cleared.body).toMatchObject({ pricing: null, currencyCode: null, active: false });
  });

  it("answers 400 naming the missing required fields", async () => {
    const result = await client.put("/api/customers", {
      token: acme.adminToken,
      body: { companyEmail: "x@example.com" },
    });
    expect(result.status).toBe(400);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(Object.keys(result.body.errors).sort()).toEqual(["companyName", "customerNumber"]);
    const blank = await client.put("/api/customers", {
      token: acme.adminToken,
      body: { customerNumber: " ", companyName: "X" },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toHaveProperty("customerNumber");
  });

  it("answers 400 when pricing names no tier of the organization", async () => {
    const foreignTier = await createTier(other);
    for (const pricing of [unique("Nope"), foreignTier]) {
      const result = await client.put("/api/customers", {
        token: acme.adminToken,
        body: { customerNumber: unique("C"), companyName: "X", pricing },
      });
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual({ pricing: expect.stringContaining("price tier") });
    }
  });

  it("answers 400 for malformed fields, naming each", async () => {
    const result = await client.put("/api/customers", {
      token: acme.adminToken,
      body: {
        customerNumber: unique("C"),
        companyName: "X",
        companyEmail: "not-an-email",
        companyPhone: "call me",
        active: "yes",
      },
    });
    expect(result.status).toBe(400);
    expect(result.body.errors).toHaveProperty("active");
    const fields = await client.put("/api/customers", {
      token: acme.adminToken,
      body: { customerNumber: unique("C"), companyName: "X", companyEmail: "not-an-email", companyPhone: "call me" },
    });
    expect(fields.status).toBe(400);
    expect(Object.keys(fields.body.errors).sort()).toEqual(["companyEmail", "companyPhone"]);
    for (const customerAttributes of [[1, 2], "text", 5]) {
      const attributes = await client.put("/api/customers", {
        token: acme.adminToken,
        body: { customerNumber: unique("C"), companyName: "X", customerAttributes },
      });
      expect(attributes.status).toBe(400);
      expect(attributes.body.errors).toHaveProperty("customerAttributes");
    }
  });
});

describe("GET /api/customers", () => {
  it("answers the documented page shape", async () => {
    const result = await list({});
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(["currentPage", "data", "totalPages", "totalRecords"]);
    expect(result.body).toMatchObject({ totalRecords: 5, currentPage: 1, totalPages: 1 });
    expect(numbers(result.body)).toEqual(["C-001", "C-002", "C-003", "C-004", "C-005"]);
    expect(Object.keys(result.body.data[0]).sort()).toEqual(customerKeys);
  });

  it("pages", async () => {
    const second = await list({ pageNumber: 2, pageSize: 2 });
    expect(second.body).toMatchObject({ totalRecords: 5, currentPage: 2, totalPages: 3 });
    expect(numbers(second.body)).toEqual(["C-003", "C-004"]);
    const last = await list({ PageNumber: 3, PageSize: 2 });
    expect(numbers(last.body)).toEqual(["C-005"]);
    const beyond = await list({ pageNumber: 4, pageSize: 2 });
    expect(beyond.status).toBe(200);
    expect(beyond.body).toMatchObject({ data: [], totalRecords: 5, currentPage: 4 });
  });

  it("answers 400 for page bounds and unknown sort fields", async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ pageSize: 0 }, "pageSize"],
      [{ pageSize: 101 }, "pageSize"],
      [{ pageNumber: 0 }, "pageNumber"],
      [{ pageNumber: "two" }, "pageNumber"],
      [{ sortOn: "Terms" }, "sortOn"],
      [{ sortDirection: "up" }, "sortDirection"],
    ];
    for (const [query, field] of cases) {
      const result = await list(query);
      expect(result.status, JSON.stringify(query)).toBe(400);
      expect(result.body.errors, JSON.stringify(query)).toHaveProperty(field);
    }
    expect((await list({ pageSize: 100 })).status).toBe(200);
  });

  it("refuses unknown sort fields, directions and filter operators in the documented words", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ sortOn: "Terms" }, "sortOn", "must be one of CustomerNumber, CompanyName, Name, CompanyEmail, RepNumber"],
      [{ sortDirection: "up" }, "sortDirection", "must be asc or desc"],
      [
        { "Filters[0].Field": "companyName", "Filters[0].Operator": "like", "Filters[0].Value": "x" },
        "filters[0].operator",
        "must be one of startswith, contains, notcontains, endswith, equals, notequals, gt, gte, lt, lte",
      ],
    ];
    for (const [query, field, message] of cases) {
      const result = await list(query);
      expect(result.body, JSON.stringify(query)).toEqual({
        type: expect.any(String),
        title: "Bad Request",
        status: 400,
        detail: `${field} ${message}`,
        errors: { [field]: message },
      });
    }
  });

  it("sorts on each documented field, both directions, in any case", async () => {
    const expected: Record<string, string[]> = {
      CustomerNumber: ["C-001", "C-002", "C-003", "C-004", "C-005"],
      CompanyName: ["C-002", "C-004", "C-003", "C-001", "C-005"],
      Name: ["C-002", "C-004", "C-003", "C-001", "C-005"],
      CompanyEmail: ["C-003", "C-005", "C-001", "C-004", "C-002"],
      RepNumber: ["C-003", "C-005", "C-001", "C-004", "C-002"],
    };
    for (const [sortOn, order] of Object.entries(expected)) {
      expect(numbers((await list({ sortOn })).body), sortOn).toEqual(order);
      expect(numbers((await list({ SortOn: sortOn.toLowerCase(), SortDirection: "DESC" })).body), sortOn).toEqual(
        [...order].reverse(),
      );
    }
  });

  it("filters with indexed query parameters", async () => {
    const one = await list({
      "Filters[0].Field": "companyName",
      "Filters[0].Operator": "startswith",
      "Filters[0].Value": "ch",
    });
    expect(one.status).toBe(200);
    expect(numbers(one.body)).toEqual(["C-003"]);
    expect(one.body.totalRecords).toBe(1);

    const two = await list({
      "Filters[0].Field": "CustomerNumber",
      "Filters[0].Operator": "gt",
      "Filters[0].Value": "C-002",
      "Filters[1].Field": "repNumber",
      "Filters[1].Operator": "notequals",
      "Filters[1].Value": "r1",
    });
    expect(numbers(two.body)).toEqual(["C-004", "C-005"]);
  });

  it("filters with one JSON-encoded Filters parameter", async () => {
    const filter = (Field: string, Operator: string, Value: string) => ({ Field, Operator, Value });
    const cases: [object[], string[]][] = [
      [[filter("repNumber", "equals", "r2")], ["C-005"]],
      [[filter("companyName", "notcontains", "a")], ["C-005"]],
      [
        [filter("companyEmail", "endswith", "@EXAMPLE.com"), filter("customerNumber", "lte", "C-002")],
        ["C-001", "C-002"],
      ],
      [[filter("customerNumber", "contains", "00")], ["C-001", "C-002", "C-003", "C-004", "C-005"]],
      [[filter("companyName", "contains", "%")], []],
    ];
    for (const [filters, expected] of cases) {
      const result = await list({ Filters: JSON.stringify(filters) });
      expect(result.status, JSON.stringify(filters)).toBe(200);
      expect(numbers(result.body), JSON.stringify(filters)).toEqual(expected);
    }
  });

  it("answers 400 for an unknown filter field or operator", async () => {
    const field = await list({ Filters: JSON.stringify([{ Field: "terms", Operator: "equals", Value: "x" }]) });
    expect(field.status).toBe(400);
    expect(field.body.errors).toHaveProperty(["filters[0].field"]);
    const operator = await list({
      "Filters[0].Field": "companyName",
      "Filters[0].Operator": "like",
      "Filters[0].Value": "x",
    });
    expect(operator.status).toBe(400);
    expect(operator.body.errors).toHaveProperty(["filters[0].operator"]);
    const incomplete = await list({ "Filters[0].Field": "companyName" });
    expect(incomplete.status).toBe(400);
  });

  it("gives every customer of a page its own tier and currency, at a cost that does not grow with the page", async () => {
    const org = await kit.organization();
    const tiers = [await createTier(org, "USD"), await createTier(org, "EUR"), await createTier(org, "JPY")];
    for (let index = 0; index < 30; index++) {
      await org.customer({
        customerNumber: `N-${String(index).padStart(2, "0")}`,
        pricing: index % 4 === 3 ? null : tiers[index % 4],
      });
    }
    const result = await list({ pageSize: 30 }, org.adminToken);
    expect(result.body.data).toHaveLength(30);
    result.body.data.forEach((customer: { pricing: string | null; currencyCode: string | null }, index: number) => {
      expect(customer.pricing).toBe(index % 4 === 3 ? null : tiers[index % 4]);
      expect(customer.currencyCode).toBe(["USD", "EUR", "JPY", null][index % 4]);
    });

    const statementsFor = async (pageSize: number) => {
      statements.length = 0;
      expect((await list({ pageSize }, org.adminToken)).status).toBe(200);
      return [...statements];
    };
    const small = await statementsFor(2);
    const large = await statementsFor(30);
    expect(large.length).toBe(small.length);
    expect(large.filter((statement) => /\bprice_tiers\b/.test(statement))).toHaveLength(1);
  });
});

describe("GET /api/customers/{customerNumber}", () => {
  it("answers the customer", async () => {
    const result = await client.get("/api/customers/C-004", { token: listing.adminToken });
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(customerKeys);
    expect(result.body).toMatchObject({ customerNumber: "C-004", companyName: "Bravo", repNumber: "R4", active: true });
  });

  it("finds numbers that need URL encoding", async () => {
    const customerNumber = `${unique("C")}/x y`;
    await acme.customer({ customerNumber });
    const result = await client.get(`/api/customers/${encodeURIComponent(customerNumber)}`, { token: acme.adminToken });
    expect(result.status).toBe(200);
    expect(result.body.customerNumber).toBe(customerNumber);
  });

  it("answers 404 for an unknown number and for another organization's customer", async () => {
    const unknown = await client.get(`/api/customers/${unique("C")}`, { token: acme.adminToken });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    const foreign = await client.get("/api/customers/C-004", { token: acme.adminToken });
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe("No customer C-004 exists in your organization");
  });
});

describe("access", () => {
  const routes = [
    ["GET", "/api/customers"],
    ["GET", "/api/customers/C-001"],
    ["PUT", "/api/customers"],
  ] as const;
  const body = { customerNumber: "C-999", companyName: "Nope" };

  it("answers 401 without a token or with a forged one", async () => {
    const forged = kit.tokens.tampered(listing.adminToken);
    for (const [method, path] of routes) {
      const send = method === "PUT" ? { body } : {};
      expect((await client.request(method, path, send)).status, `${method} ${path}`).toBe(401);
      expect((await client.request(method, path, { ...send, token: forged })).status, `${method} ${path}`).toBe(401);
    }
  });

  it("answers 403 to an identity token and to a token that is neither Admin nor SalesRep", async () => {
    const identity = await signIn(client, listing.admin.email);
    const customer = (await listing.customerUser()).token;
    for (const [method, path] of routes) {
      const send = method === "PUT" ? { body } : {};
      expect((await client.request(method, path, { ...send, token: identity })).status, `${method} ${path}`).toBe(403);
      expect((await client.request(method, path, { ...send, token: customer })).status, `${method} ${path}`).toBe(403);
    }
    expect((await client.get("/api/customers/C-999", { token: listing.adminToken })).status).toBe(404);
  });

  it("keeps each organization's customers to itself", async () => {
    const seen = await list({ pageSize: 100 }, other.adminToken);
    expect(seen.status).toBe(200);
    expect(numbers(seen.body)).not.toContain("C-001");

    const own = await client.put("/api/customers", {
      token: other.adminToken,
      body: { customerNumber: "C-001", companyName: "Other's own" },
    });
    expect(own.status).toBe(200);
    const original = await client.get("/api/customers/C-001", { token: listing.adminToken });
    expect(original.body.companyName).toBe("Delta");
    expect(original.body.id).not.toBe(own.body.id);
  });
});

describe("GraphQL", () => {
  const fields = "id customerNumber companyName companyEmail pricing currencyCode active repNumber customerAttributes";

  it("answers the same page as REST", async () => {
    const rest = await list({
      sortOn: "CompanyName",
      sortDirection: "desc",
      pageSize: 3,
      "Filters[0].Field": "customerNumber",
      "Filters[0].Operator": "startswith",
      "Filters[0].Value": "c-",
    });
    const result = await client.graphql(
      `query ($filters: [ListFilter!]) {
        customers(sortOn: COMPANY_NAME, sortDirection: DESC, pageSize: 3, filters: $filters) {
          items { ${fields} } totalCount pageNumber pageSize totalPages
        }
      }`,
      { filters: [{ field: "customerNumber", operator: "STARTS_WITH", value: "c-" }] },
      listing.adminToken,
    );
    expect(result.errors).toBeUndefined();
    const page = result.data.customers;
    expect(page).toMatchObject({
      totalCount: rest.body.totalRecords,
      pageNumber: 1,
      pageSize: 3,
      totalPages: rest.body.totalPages,
    });
    expect(page.items).toEqual(
      rest.body.data.map((customer: Record<string, unknown>) =>
        Object.fromEntries(fields.split(" ").map((field) => [field, customer[field]])),
      ),
    );
  });

  it("answers the same customer as REST, and upserts", async () => {
    const rest = await client.get("/api/customers/C-002", { token: listing.adminToken });
    const one = await client.graphql(`{ customer(customerNumber: "C-002") { ${fields} } }`, {}, listing.adminToken);
    expect(one.data.customer).toEqual(Object.fromEntries(fields.split(" ").map((field) => [field, rest.body[field]])));

    const customerNumber = unique("G");
    const upserted = await client.graphql(
      `mutation ($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { customerNumber customerAttributes active } }`,
      { input: { customerNumber, companyName: "Via GraphQL", customerAttributes: { a: 1 } } },
      acme.adminToken,
    );
    expect(upserted.data.upsertCustomer).toEqual({ customerNumber, customerAttributes: { a: 1 }, active: true });
  });

  it("gives refusals a code", async () => {
    expect((await client.graphql(`{ customers { totalCount } }`)).codes).toEqual(["UNAUTHENTICATED"]);
    expect((await client.graphql(`{ customer(customerNumber: "C-001") { id } }`, {}, acme.adminToken)).codes).toEqual([
      "NOT_FOUND",
    ]);
    expect((await client.graphql(`{ customers(pageSize: 0) { totalCount } }`, {}, acme.adminToken)).codes).toEqual([
      "BAD_USER_INPUT",
    ]);
  });
});

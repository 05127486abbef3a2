import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { unique } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;
/** Every SQL statement the server runs; the mail worker is off so nothing runs in the background. */
const statements: string[] = [];

beforeAll(async () => {
  kit = await testKit({ mailWorker: false, queryLogger: { logQuery: (query) => statements.push(query) } });
  client = kit.client;
  [acme, other] = await Promise.all([kit.organization(), kit.organization()]);
});
afterAll(() => kit?.close());

const batch = (input: unknown[], options: { partial?: boolean; token?: string } = {}) =>
  client.put("/api/customers/batch", {
    token: options.token ?? acme.adminToken,
    body: { input, ...(options.partial === undefined ? {} : { partial: options.partial }) },
  });

const address = (addressNumber: string, type = "shipping") => ({
  addressNumber,
  type,
  line1: `${addressNumber} Main St`,
  city: "Springfield",
  country: "US",
});

/** A head office, two divisions and a branch, children first. */
function tree() {
  const [head, east, west, branch] = ["HQ", "EAST", "WEST", "BR"].map((name) => unique(name)) as [
    string,
    string,
    string,
    string,
  ];
  const items = [
    { customerNumber: branch, companyName: "Branch", parentCustomerNumber: east, addresses: [address("S1")] },
    { customerNumber: east, companyName: "East", parentCustomerNumber: head },
    { customerNumber: west, companyName: "West", parentCustomerNumber: head, netDays: 30 },
    {
      customerNumber: head,
      companyName: "Head office",
      paymentTermsCode: "N30",
      creditLimit: 50000,
      creditCurrency: "usd",
      addresses: [address("S1"), address("B1", "billing")],
    },
  ];
  return { head, east, west, branch, items };
}

describe("PUT /api/customers/batch", () => {
  it("builds a three-level tree in child-first order, then answers unchanged on a re-run", async () => {
    const { head, east, west, branch, items } = tree();
    const first = await batch(items);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ created: 4, updated: 0, unchanged: 0, failed: 0 });
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual([
      "created",
      "created",
      "created",
      "created",
    ]);
    expect(first.body.results[3].addresses).toEqual([
      { addressNumber: "S1", status: "created" },
      { addressNumber: "B1", status: "created" },
    ]);
    const subtree = await client.get("/api/customers", {
      token: acme.adminToken,
      query: { RootCustomerNumber: head, SortOn: "CustomerNumber" },
    });
    expect(subtree.body.totalRecords).toBe(4);
    const parents = Object.fromEntries(
      subtree.body.data.map((c: { customerNumber: string; parentCustomerNumber?: string }) => [
        c.customerNumber,
        c.parentCustomerNumber ?? null,
      ]),
    );
    expect(parents).toEqual({ [head]: null, [east]: head, [west]: head, [branch]: east });
    const headRead = await client.get(`/api/customers/${head}`, { token: acme.adminToken });
    expect(headRead.body).toMatchObject({ paymentTermsCode: "N30", creditLimit: 50000, creditCurrency: "USD" });

    const again = await batch(items);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 4, failed: 0 });
    expect(again.body.results[3].addresses.map((a: { status: string }) => a.status)).toEqual([
      "unchanged",
      "unchanged",
    ]);
  });

  it("answers updated for a customer whose only change is an address", async () => {
    const { items } = tree();
    await batch(items);
    const moved = items.map((item, index) =>
      index === 0 ? { ...item, addresses: [{ ...address("S1"), city: "Shelbyville" }] } : item,
    );
    const result = await batch(moved);
    expect(result.body).toMatchObject({ updated: 1, unchanged: 3 });
    expect(result.body.results[0]).toMatchObject({ status: "updated", addresses: [{ status: "updated" }] });
  });

  it("refuses the whole batch naming every item's problems, and applies nothing", async () => {
    const good = unique("OK");
    const loopA = unique("LA");
    const loopB = unique("LB");
    const result = await batch([
      { customerNumber: good, companyName: "Fine" },
      { customerNumber: unique("X"), companyName: "", addresses: [{ ...address("A"), country: "ZZ" }] },
      { customerNumber: loopA, companyName: "A", parentCustomerNumber: loopB },
      { customerNumber: loopB, companyName: "B", parentCustomerNumber: loopA },
      { customerNumber: unique("Y"), companyName: "Orphan", parentCustomerNumber: unique("missing") },
    ]);
    expect(result.status).toBe(400);
    expect(result.body.detail).toBe("The request has 5 invalid fields");
    expect(Object.keys(result.body.errors).sort()).toEqual([
      "input[1].addresses[0].country",
      "input[1].companyName",
      "input[2].parentCustomerNumber",
      "input[3].parentCustomerNumber",
      "input[4].parentCustomerNumber",
    ]);
    expect(result.body.errors["input[2].parentCustomerNumber"]).toContain("would close a loop");
    expect((await client.get(`/api/customers/${good}`, { token: acme.adminToken })).status).toBe(404);
  });

  it("with partial applies the valid items and answers error for the others and their children", async () => {
    const good = unique("OK");
    const bad = unique("BAD");
    const child = unique("CH");
    const result = await batch(
      [
        { customerNumber: child, companyName: "Child", parentCustomerNumber: bad },
        { customerNumber: bad, companyName: "Bad", companyEmail: "not-an-email" },
        { customerNumber: good, companyName: "Good" },
      ],
      { partial: true },
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ created: 1, failed: 2 });
    expect(result.body.results).toEqual([
      expect.objectContaining({
        index: 0,
        status: "error",
        customer: null,
        errors: [{ field: "parentCustomerNumber", message: `names ${bad}, which has errors in this batch` }],
      }),
      expect.objectContaining({
        index: 1,
        status: "error",
        errors: [{ field: "companyEmail", message: "must be a valid e-mail address" }],
      }),
      expect.objectContaining({ index: 2, status: "created", customer: { id: expect.any(String) } }),
    ]);
    expect((await client.get(`/api/customers/${good}`, { token: acme.adminToken })).status).toBe(200);
    expect((await client.get(`/api/customers/${child}`, { token: acme.adminToken })).status).toBe(404);
  });

  it("refuses a sixth level built in one batch", async () => {
    const numbers = Array.from({ length: 6 }, (_, level) => unique(`D${level + 1}`));
    const result = await batch(
      numbers.map((customerNumber, level) => ({
        customerNumber,
        companyName: customerNumber,
        parentCustomerNumber: level === 0 ? null : numbers[level - 1],
      })),
    );
    expect(result.status).toBe(400);
    expect(Object.values(result.body.errors).join(" ")).toContain("at most 5 levels");
  });

  it("refuses an empty batch, over 1,000 customers and duplicates; a parent in another tenant is unknown", async () => {
    expect((await batch([])).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ customerNumber: `N${i}`, companyName: "x" }));
    const refused = await batch(tooMany);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual({ input: "must hold from 1 to 1000 customers" });
    const twice = unique("T");
    const duplicate = await batch([
      { customerNumber: twice, companyName: "a" },
      { customerNumber: twice, companyName: "b" },
    ]);
    expect(duplicate.body.errors).toEqual({ "input[1].customerNumber": "appears more than once in the batch" });
    const foreign = await other.customer();
    const crossTenant = await batch([
      { customerNumber: unique("C"), companyName: "c", parentCustomerNumber: foreign.customerNumber },
    ]);
    expect(crossTenant.body.errors).toEqual({
      "input[0].parentCustomerNumber": "does not name a customer of your organization",
    });
  });

  it("is Admin only", async () => {
    const user = await acme.customerUser();
    expect((await batch([{ customerNumber: "x", companyName: "x" }], { token: user.token })).status).toBe(403);
  });

  it("applies 1,000 customers with 2 addresses each, a body over the 256 KB limit of other routes, in as many statements as 2", async () => {
    const count = async (size: number) => {
      const prefix = unique("S");
      const items = Array.from({ length: size }, (_, i) => ({
        customerNumber: `${prefix}-${i}`,
        companyName: `Company ${i} with a name as long as an ERP keeps them, and longer still`,
        parentCustomerNumber: i === 0 ? null : `${prefix}-0`,
        addresses: [address("S1"), address("B1", "billing")],
      }));
      if (size > 100) expect(JSON.stringify({ input: items }).length).toBeGreaterThan(256 * 1024);
      statements.length = 0;
      const result = await batch(items);
      expect(result.status).toBe(200);
      expect(result.body.created).toBe(size);
      return statements.length;
    };
    const small = await count(2);
    const large = await count(1000);
    expect(large).toBe(small);
  });
});

describe("upsertCustomers in GraphQL", () => {
  it("answers per item with the customer and its tree", async () => {
    const { head, branch, items } = tree();
    const result = await client.graphql(
      `mutation ($input: [UpsertCustomersItemInput!]!) {
        upsertCustomers(input: $input) { created results { status customer { customerNumber ancestors { customerNumber } } } } }`,
      {
        input: items.map((item) => ({
          ...item,
          addresses: item.addresses?.map((a) => ({ ...a, type: a.type.toUpperCase() })),
        })),
      },
      acme.adminToken,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.upsertCustomers.created).toBe(4);
    expect(result.data.upsertCustomers.results[0].customer.customerNumber).toBe(branch);
    expect(result.data.upsertCustomers.results[0].customer.ancestors.at(-1)).toEqual({ customerNumber: head });
    expect(result.data.upsertCustomers.results[0].status).toBe("CREATED");
  });

  it("refuses a batch with a bad item in one error that says nothing was applied", async () => {
    const result = await client.graphql(
      `mutation ($input: [UpsertCustomersItemInput!]!) { upsertCustomers(input: $input) { created } }`,
      {
        input: [
          { customerNumber: unique("G"), companyName: "Good" },
          { customerNumber: unique("B"), companyName: "" },
        ],
      },
      acme.adminToken,
    );
    expect(result.codes).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors![0]!.message).toBe(
      "1 of 2 customers have errors; nothing was applied (send partial: true to apply the others)",
    );
  });
});

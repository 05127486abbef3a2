import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims, unique } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;

beforeAll(async () => {
  // Mail on: a sales rep's token comes from its invitation.
  kit = await testKit({ mail: true });
  client = kit.client;
  [acme, other] = await Promise.all([kit.organization(), kit.organization()]);
});
afterAll(() => kit?.close());

const put = (org: Organization, body: Record<string, unknown>) =>
  client.put("/api/customers", { token: org.adminToken, body: { companyName: unique("Company"), ...body } });

/** Customers in a chain, each the parent of the next; answers their numbers, root first. */
async function chain(org: Organization, length: number): Promise<string[] & Record<0 | 1 | 2 | 3 | 4, string>> {
  const numbers: string[] = [];
  for (let level = 0; level < length; level++) {
    const customerNumber = unique(`L${level + 1}`);
    const result = await put(org, { customerNumber, parentCustomerNumber: numbers.at(-1) ?? null });
    expect(result.status, result.text).toBe(200);
    numbers.push(customerNumber);
  }
  return numbers as string[] & Record<0 | 1 | 2 | 3 | 4, string>;
}

describe("customer hierarchy", () => {
  it("attaches a customer to a parent and answers parentCustomerNumber over REST", async () => {
    const [root, branch] = await chain(acme, 2);
    const read = await client.get(`/api/customers/${branch}`, { token: acme.adminToken });
    expect(read.status).toBe(200);
    expect(read.body.parentCustomerNumber).toBe(root);
    const rootRead = await client.get(`/api/customers/${root}`, { token: acme.adminToken });
    expect(rootRead.body).not.toHaveProperty("parentCustomerNumber");
  });

  it("answers parent, ancestors and paged children in GraphQL", async () => {
    const [root, division, branch] = await chain(acme, 3);
    const second = unique("B");
    expect((await put(acme, { customerNumber: second, parentCustomerNumber: division })).status).toBe(200);
    const result = await client.graphql(
      `query ($n: String!) { customer(customerNumber: $n) {
        parent { customerNumber } ancestors { customerNumber }
        children(pageSize: 1, sortOn: CUSTOMER_NUMBER) { totalCount totalPages items { customerNumber } } } }`,
      { n: division },
      acme.adminToken,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.customer.parent).toEqual({ customerNumber: root });
    expect(result.data.customer.ancestors).toEqual([{ customerNumber: root }]);
    expect(result.data.customer.children).toEqual({
      totalCount: 2,
      totalPages: 2,
      items: [{ customerNumber: [branch, second].sort()[0] }],
    });
    const leaf = await client.graphql(
      `query ($n: String!) { customer(customerNumber: $n) { ancestors { customerNumber } } }`,
      { n: branch },
      acme.adminToken,
    );
    expect(leaf.data.customer.ancestors).toEqual([{ customerNumber: division }, { customerNumber: root }]);
  });

  it("filters the REST and GraphQL lists by parent and by root", async () => {
    const [root, division, branch] = await chain(acme, 3);
    const byRoot = await client.get("/api/customers", {
      token: acme.adminToken,
      query: { RootCustomerNumber: root, PageSize: 100 },
    });
    expect(byRoot.status).toBe(200);
    expect(byRoot.body.data.map((c: { customerNumber: string }) => c.customerNumber).sort()).toEqual(
      [root, division, branch].sort(),
    );
    const byParent = await client.get("/api/customers", {
      token: acme.adminToken,
      query: { ParentCustomerNumber: division },
    });
    expect(byParent.body.data.map((c: { customerNumber: string }) => c.customerNumber)).toEqual([branch]);
    const graph = await client.graphql(
      `query ($p: String) { customers(parentCustomerNumber: $p) { totalCount items { customerNumber } } }`,
      { p: root },
      acme.adminToken,
    );
    expect(graph.data.customers).toEqual({ totalCount: 1, items: [{ customerNumber: division }] });
  });

  it("detaches with null and keeps the parent; an absent parentCustomerNumber changes nothing", async () => {
    const [root, branch] = await chain(acme, 2);
    const untouched = await put(acme, { customerNumber: branch });
    expect(untouched.body.parentCustomerNumber).toBe(root);
    const detached = await put(acme, { customerNumber: branch, parentCustomerNumber: null });
    expect(detached.status).toBe(200);
    expect(detached.body).not.toHaveProperty("parentCustomerNumber");
    expect((await client.get(`/api/customers/${root}`, { token: acme.adminToken })).status).toBe(200);
  });

  it("refuses a loop, naming the customer that would close it", async () => {
    const [root, , branch] = await chain(acme, 3);
    const result = await put(acme, { customerNumber: root, parentCustomerNumber: branch });
    expect(result.status).toBe(400);
    expect(result.body.detail).toContain(`${branch} would close a loop`);
    expect(result.body.errors).toHaveProperty("parentCustomerNumber");
    const self = await put(acme, { customerNumber: root, parentCustomerNumber: root });
    expect(self.status).toBe(400);
    expect(self.body.detail).toContain(`${root} would close a loop`);
  });

  it("allows five levels and refuses a sixth, also when a subtree is moved under a deep one", async () => {
    const five = await chain(acme, 5);
    const sixth = await put(acme, { customerNumber: unique("L6"), parentCustomerNumber: five[4] });
    expect(sixth.status).toBe(400);
    expect(sixth.body.detail).toContain("at most 5 levels");
    const [top, under] = await chain(acme, 2);
    const moved = await put(acme, { customerNumber: top, parentCustomerNumber: five[3] });
    expect(moved.status).toBe(400);
    expect(moved.body.detail).toContain(`${under} at level 6`);
  });

  it("refuses a parent of another organization as unknown", async () => {
    const foreign = await other.customer();
    const result = await put(acme, { customerNumber: unique("C"), parentCustomerNumber: foreign.customerNumber });
    expect(result.status).toBe(400);
    expect(result.body.errors.parentCustomerNumber).toBe("does not name a customer of your organization");
  });

  it("shows a sales rep only the relatives within its own scope", async () => {
    const rep = await acme.salesRep();
    const token = await acme.repToken(rep.email);
    const [root, branch] = await chain(acme, 2);
    await put(acme, { customerNumber: branch, repNumber: rep.repNumber });
    const seen = await client.graphql(
      `query ($n: String!) { customer(customerNumber: $n) { parentCustomerNumber parent { customerNumber } ancestors { customerNumber } } }`,
      { n: branch },
      token,
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data.customer).toEqual({ parentCustomerNumber: null, parent: null, ancestors: [] });
    await put(acme, { customerNumber: root, repNumber: rep.repNumber });
    const both = await client.graphql(
      `query ($n: String!) { customer(customerNumber: $n) { children { items { customerNumber } } } }`,
      { n: root },
      token,
    );
    expect(both.data.customer.children.items).toEqual([{ customerNumber: branch }]);
  });

  it("lets no pair of concurrent upserts build a loop", async () => {
    for (let round = 0; round < 5; round++) {
      const a = unique("A");
      const b = unique("B");
      await put(acme, { customerNumber: a });
      await put(acme, { customerNumber: b });
      const results = await Promise.all([
        put(acme, { customerNumber: a, parentCustomerNumber: b }),
        put(acme, { customerNumber: b, parentCustomerNumber: a }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    }
  });
});

describe("payment terms and credit", () => {
  it("keeps the structured terms beside the free-text terms, and checks the amounts", async () => {
    const customerNumber = unique("C");
    const result = await put(acme, {
      customerNumber,
      terms: "Net 30, 2% 10",
      paymentTermsCode: "N30-2-10",
      netDays: 30,
      creditLimit: 12500.456,
      creditCurrency: "eur",
      availableCredit: -250,
    });
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({
      terms: "Net 30, 2% 10",
      paymentTermsCode: "N30-2-10",
      netDays: 30,
      creditLimit: 12500.46,
      creditCurrency: "EUR",
      availableCredit: -250,
    });
    expect(result.body).not.toHaveProperty("creditHold");
    const refused = await put(acme, { customerNumber: unique("C"), creditLimit: -1, netDays: 9999 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual({
      creditLimit: "must be an amount of 0 or more",
      netDays: "must be from 0 to 3650",
    });
    const noCurrency = await put(acme, { customerNumber: unique("C"), creditLimit: 10 });
    expect(noCurrency.body.errors).toEqual({ creditCurrency: "is required with creditLimit or availableCredit" });
  });
});

describe("price tier and credit hold in the token", () => {
  async function tier(org: Organization, currencyCode: string) {
    const name = unique("Tier");
    const created = await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: name, CurrencyCode: currencyCode },
    });
    expect(created.status).toBe(200);
    return name;
  }

  it("takes the customer's tier, else its nearest ancestor's, else the organization's default", async () => {
    const org = await kit.organization();
    const fallback = await tier(org, "GBP");
    const headOffice = await tier(org, "EUR");
    expect(
      (await client.patch("/api/organization", { token: org.adminToken, body: { DefaultPriceTier: fallback } })).status,
    ).toBe(200);
    const [root, division, branch] = await chain(org, 3);
    await put(org, { customerNumber: root, pricing: headOffice });
    const member = await org.member();
    await org.associate(member.userId, branch);
    expect(claims(await org.tokenFor(member.email))).toMatchObject({
      CustomerNumber: branch,
      PriceTier: headOffice,
      CurrencyCode: "EUR",
      CreditHold: false,
    });
    await put(org, { customerNumber: division, parentCustomerNumber: null });
    expect(claims(await org.tokenFor(member.email))).toMatchObject({ PriceTier: fallback, CurrencyCode: "GBP" });
  });

  it("carries CreditHold and reads the current hold on the next request", async () => {
    const user = await acme.customerUser();
    const query = "{ myCustomer { customerNumber creditHold } }";
    expect(claims(user.token).CreditHold).toBe(false);
    expect((await client.graphql(query, {}, user.token)).data.myCustomer).toEqual({
      customerNumber: user.customerNumber,
      creditHold: false,
    });
    const held = await put(acme, { customerNumber: user.customerNumber, creditHold: true });
    expect(held.body.creditHold).toBe(true);
    expect((await client.graphql(query, {}, user.token)).data.myCustomer.creditHold).toBe(true);
    expect(claims(await acme.tokenFor(user.email)).CreditHold).toBe(true);
  });
});

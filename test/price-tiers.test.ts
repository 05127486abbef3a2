import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { signIn, unique } from "./support/seed.js";

const path = "/api/organizations/price-tiers";

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;

beforeAll(async () => {
  kit = await testKit();
  client = kit.client;
  acme = await kit.organization();
  other = await kit.organization();
});
afterAll(() => kit?.close());

async function tiers(org: Organization): Promise<{ Id: string; Name: string; CurrencyCode: string }[]> {
  const result = await client.get(path, { token: org.adminToken });
  expect(result.status).toBe(200);
  return result.body;
}

async function createTier(org: Organization, currencyCode = "USD") {
  const name = unique("Tier");
  const created = await client.post(path, { token: org.adminToken, body: { Name: name, CurrencyCode: currencyCode } });
  expect(created.status).toBe(200);
  return name;
}

const defaultTierOf = async (org: Organization) =>
  (await client.get("/api/organization", { token: org.adminToken })).body.Organization.DefaultPriceTier;

describe("POST /api/organizations/price-tiers", () => {
  it("creates a tier, answering 200 with an empty body", async () => {
    const name = unique("Wholesale");
    const result = await client.post(path, { token: acme.adminToken, body: { Name: name, CurrencyCode: "USD" } });
    expect(result.status).toBe(200);
    expect(result.text).toBe("");
    expect((await tiers(acme)).find((tier) => tier.Name === name)).toMatchObject({ Name: name, CurrencyCode: "USD" });
  });

  it("binds keys case-insensitively and stores the currency code in capitals", async () => {
    const name = unique("Euro");
    const result = await client.post(path, { token: acme.adminToken, body: { name, currencycode: "eur" } });
    expect(result.status).toBe(200);
    expect((await tiers(acme)).find((tier) => tier.Name === name)?.CurrencyCode).toBe("EUR");
  });

  it("answers 400 naming each missing field", async () => {
    const result = await client.post(path, { token: acme.adminToken, body: {} });
    expect(result.status).toBe(400);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(Object.keys(result.body.errors).sort()).toEqual(["CurrencyCode", "Name"]);
    const blank = await client.post(path, { token: acme.adminToken, body: { Name: "  ", CurrencyCode: "USD" } });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toHaveProperty("Name");
  });

  it("answers 400 for a currency code that is not ISO 4217", async () => {
    for (const code of ["XYZ", "US", "dollars", "123"]) {
      const result = await client.post(path, {
        token: acme.adminToken,
        body: { Name: unique("Bad"), CurrencyCode: code },
      });
      expect(result.status, code).toBe(400);
      expect(result.body.errors).toHaveProperty("CurrencyCode");
    }
  });

  it("refuses a name the organization already has, in any case", async () => {
    const name = await createTier(acme);
    const result = await client.post(path, {
      token: acme.adminToken,
      body: { Name: name.toUpperCase(), CurrencyCode: "CAD" },
    });
    expect(result.status).toBe(400);
    expect(result.body.errors).toHaveProperty("Name");
    expect((await tiers(acme)).filter((tier) => tier.Name.toLowerCase() === name.toLowerCase())).toHaveLength(1);
  });

  it("lets another organization use the same name", async () => {
    const name = await createTier(acme);
    const result = await client.post(path, { token: other.adminToken, body: { Name: name, CurrencyCode: "GBP" } });
    expect(result.status).toBe(200);
  });
});

describe("GET /api/organizations/price-tiers", () => {
  it("answers a bare PascalCase array with X-Total-Count", async () => {
    const org = await kit.organization();
    await client.post(path, { token: org.adminToken, body: { Name: "Wholesale", CurrencyCode: "USD" } });
    await client.post(path, { token: org.adminToken, body: { Name: "Retail", CurrencyCode: "CAD" } });
    const result = await client.get(path, { token: org.adminToken });
    expect(result.status).toBe(200);
    expect(result.headers.get("x-total-count")).toBe("2");
    expect(result.body).toEqual([
      { Id: expect.any(String), Name: "Retail", CurrencyCode: "CAD" },
      { Id: expect.any(String), Name: "Wholesale", CurrencyCode: "USD" },
    ]);
  });

  it("answers an empty list for an organization without tiers", async () => {
    const org = await kit.organization();
    const result = await client.get(path, { token: org.adminToken });
    expect(result.body).toEqual([]);
    expect(result.headers.get("x-total-count")).toBe("0");
  });
});

describe("PUT /api/organizations/price-tiers", () => {
  it("renames a tier and sets its currency, answering 200 with an empty body", async () => {
    const name = await createTier(acme);
    const newName = unique("Retail");
    const result = await client.put(path, {
      token: acme.adminToken,
      body: { OldName: name, NewName: newName, CurrencyCode: "cad" },
    });
    expect(result.status).toBe(200);
    expect(result.text).toBe("");
    const list = await tiers(acme);
    expect(list.find((tier) => tier.Name === name)).toBeUndefined();
    expect(list.find((tier) => tier.Name === newName)?.CurrencyCode).toBe("CAD");
  });

  it("sets the currency to USD when CurrencyCode is omitted, as the document's default says", async () => {
    const name = await createTier(acme, "EUR");
    const result = await client.put(path, { token: acme.adminToken, body: { OldName: name, NewName: name } });
    expect(result.status).toBe(200);
    expect((await tiers(acme)).find((tier) => tier.Name === name)?.CurrencyCode).toBe("USD");
  });

  it("finds the tier by OldName in any case and may change the name's case", async () => {
    const name = await createTier(acme);
    const result = await client.put(path, {
      token: acme.adminToken,
      body: { OldName: name.toUpperCase(), NewName: name.toUpperCase(), CurrencyCode: "USD" },
    });
    expect(result.status).toBe(200);
    expect((await tiers(acme)).map((tier) => tier.Name)).toContain(name.toUpperCase());
  });

  it("answers 400 when OldName matches no tier or required fields are missing", async () => {
    const unknown = await client.put(path, {
      token: acme.adminToken,
      body: { OldName: unique("Nope"), NewName: "X", CurrencyCode: "USD" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toHaveProperty("OldName");
    const missing = await client.put(path, { token: acme.adminToken, body: { CurrencyCode: "USD" } });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors).sort()).toEqual(["NewName", "OldName"]);
    const badCurrency = await client.put(path, {
      token: acme.adminToken,
      body: { OldName: await createTier(acme), NewName: "Y", CurrencyCode: "ZZZ" },
    });
    expect(badCurrency.status).toBe(400);
    expect(badCurrency.body.errors).toHaveProperty("CurrencyCode");
  });

  it("answers 400 when NewName is another tier's name", async () => {
    const first = await createTier(acme);
    const second = await createTier(acme);
    const result = await client.put(path, {
      token: acme.adminToken,
      body: { OldName: first, NewName: second.toLowerCase(), CurrencyCode: "USD" },
    });
    expect(result.status).toBe(400);
    expect(result.body.errors).toHaveProperty("NewName");
    expect((await tiers(acme)).map((tier) => tier.Name)).toEqual(expect.arrayContaining([first, second]));
  });

  it("keeps the organization's default tier pointing at the renamed tier", async () => {
    const org = await kit.organization();
    const name = await createTier(org);
    // Named in another case, the default keeps the tier's own spelling.
    const patched = await client.patch("/api/organization", {
      token: org.adminToken,
      body: { DefaultPriceTier: name.toUpperCase() },
    });
    expect(patched.body.Organization.DefaultPriceTier).toBe(name);
    const untouched = await createTier(org);
    await client.put(path, { token: org.adminToken, body: { OldName: untouched, NewName: unique("Other") } });
    expect(await defaultTierOf(org)).toBe(name);

    const renamed = unique("Renamed");
    await client.put(path, { token: org.adminToken, body: { OldName: name, NewName: renamed } });
    expect(await defaultTierOf(org)).toBe(renamed);
  });

  it("moves the customers of a tier along with its new name", async () => {
    const name = await createTier(acme, "EUR");
    const customer = await acme.customer({ pricing: name });
    const renamed = unique("Moved");
    await client.put(path, { token: acme.adminToken, body: { OldName: name, NewName: renamed, CurrencyCode: "GBP" } });
    const result = await client.get(`/api/customers/${customer.customerNumber}`, { token: acme.adminToken });
    expect(result.body).toMatchObject({ pricing: renamed, currencyCode: "GBP" });
  });
});

describe("DELETE /api/organizations/price-tiers", () => {
  it("deletes a tier, answering 200 with an empty body", async () => {
    const name = await createTier(acme);
    const result = await client.delete(path, { token: acme.adminToken, body: { Name: name.toLowerCase() } });
    expect(result.status).toBe(200);
    expect(result.text).toBe("");
    expect((await tiers(acme)).map((tier) => tier.Name)).not.toContain(name);
  });

  it("answers 400 when Name is missing or matches no tier", async () => {
    const missing = await client.delete(path, { token: acme.adminToken, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty("Name");
    const unknown = await client.delete(path, { token: acme.adminToken, body: { Name: unique("Nope") } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toHaveProperty("Name");
  });

  it("refuses to delete a tier customers still use, saying how many", async () => {
    const name = await createTier(acme);
    await acme.customer({ pricing: name });
    await acme.customer({ pricing: name });
    const result = await client.delete(path, { token: acme.adminToken, body: { Name: name } });
    expect(result.status).toBe(400);
    expect(result.body.detail).toContain("2 customers");
    expect((await tiers(acme)).map((tier) => tier.Name)).toContain(name);
  });

  it("clears the organization's default when the default tier is deleted", async () => {
    const org = await kit.organization();
    const name = await createTier(org);
    await client.patch("/api/organization", { token: org.adminToken, body: { DefaultPriceTier: name } });
    const other = await createTier(org);
    await client.delete(path, { token: org.adminToken, body: { Name: other } });
    expect(await defaultTierOf(org)).toBe(name);

    const result = await client.delete(path, { token: org.adminToken, body: { Name: name } });
    expect(result.status).toBe(200);
    expect(await defaultTierOf(org)).toBeNull();
  });
});

describe("access", () => {
  const calls: [string, Record<string, string> | undefined][] = [
    ["GET", undefined],
    ["POST", { Name: "T", CurrencyCode: "USD" }],
    ["PUT", { OldName: "a", NewName: "b" }],
    ["DELETE", { Name: "a" }],
  ];

  it("answers 401 without a token or with a forged one", async () => {
    const forged = kit.tokens.tampered(acme.adminToken);
    for (const [method, body] of calls) {
      expect((await client.request(method, path, { body })).status, method).toBe(401);
      expect((await client.request(method, path, { body, token: forged })).status, method).toBe(401);
    }
  });

  it("answers 403 to an identity token and to a token without the Admin role", async () => {
    const identity = await signIn(client, acme.admin.email);
    const customer = (await acme.customerUser()).token;
    for (const [method, body] of calls) {
      expect((await client.request(method, path, { body, token: identity })).status, method).toBe(403);
      expect((await client.request(method, path, { body, token: customer })).status, method).toBe(403);
    }
  });

  it("never shows, renames or deletes another organization's tiers", async () => {
    const name = await createTier(acme);
    const acmeIds = new Set((await tiers(acme)).map((tier) => tier.Id));
    const seen = await tiers(other);
    expect(seen.map((tier) => tier.Name)).not.toContain(name);
    expect(seen.filter((tier) => acmeIds.has(tier.Id))).toEqual([]);

    const rename = await client.put(path, {
      token: other.adminToken,
      body: { OldName: name, NewName: unique("Stolen") },
    });
    expect(rename.status).toBe(400);
    expect(rename.body.errors).toHaveProperty("OldName");
    const remove = await client.delete(path, { token: other.adminToken, body: { Name: name } });
    expect(remove.status).toBe(400);
    expect((await tiers(acme)).find((tier) => tier.Name === name)?.CurrencyCode).toBe("USD");
  });
});

describe("GraphQL", () => {
  it("lists the same tiers as REST", async () => {
    await createTier(other, "JPY");
    const rest = await tiers(other);
    const result = await client.graphql(`{ priceTiers { id name currencyCode } }`, {}, other.adminToken);
    expect(result.errors).toBeUndefined();
    expect(result.data.priceTiers).toEqual(
      rest.map((tier) => ({ id: tier.Id, name: tier.Name, currencyCode: tier.CurrencyCode })),
    );
  });

  it("creates, renames and deletes with the tier in the answer", async () => {
    const name = unique("Gql");
    const created = await client.graphql(
      `mutation ($name: String!) { createPriceTier(name: $name, currencyCode: "chf") { id name currencyCode } }`,
      { name },
      other.adminToken,
    );
    expect(created.data.createPriceTier).toMatchObject({ name, currencyCode: "CHF" });
    const renamed = await client.graphql(
      `mutation ($name: String!) { updatePriceTier(oldName: $name, newName: "Gql renamed") { id name currencyCode } }`,
      { name },
      other.adminToken,
    );
    expect(renamed.data.updatePriceTier).toEqual({
      id: created.data.createPriceTier.id,
      name: "Gql renamed",
      currencyCode: "USD",
    });
    const deleted = await client.graphql(
      `mutation { deletePriceTier(name: "gql RENAMED") { deletedPriceTierId name } }`,
      {},
      other.adminToken,
    );
    expect(deleted.data.deletePriceTier).toEqual({
      deletedPriceTierId: created.data.createPriceTier.id,
      name: "Gql renamed",
    });
  });

  it("gives refusals a code", async () => {
    expect((await client.graphql(`{ priceTiers { id } }`)).codes).toEqual(["UNAUTHENTICATED"]);
    const bad = await client.graphql(
      `mutation { createPriceTier(name: "x", currencyCode: "nope") { id } }`,
      {},
      acme.adminToken,
    );
    expect(bad.codes).toEqual(["BAD_USER_INPUT"]);
  });
});

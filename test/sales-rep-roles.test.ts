import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { signIn, unique, uniqueEmail } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { WEBHOOK_ALLOW_PRIVATE_URLS: "true", WEBHOOK_ALLOW_HTTP: "true" } });
  client = kit.client;
  acme = await kit.organization();
  other = await kit.organization();
});
afterAll(() => kit?.close());

const path = "/api/organizations/sales-rep-roles";

async function createRole(org: Organization, body: Record<string, unknown>) {
  const result = await client.post(path, { token: org.adminToken, body });
  expect(result.status, result.text).toBe(201);
  return result.body as { Id: string; Key: string };
}

/** A rep added by the admin, invited and signed in: its assignment id and token. */
async function rep(org: Organization, repNumber = unique("R")) {
  const added = await org.salesRep({ repNumber });
  return { ...added, token: await org.repToken(added.email) };
}

async function setAccess(org: Organization, organizationSalesRepId: string, accessType: string, salesRepRole?: string) {
  return client.patch("/api/organizations/salesreps/access", {
    token: org.adminToken,
    body: { organizationSalesRepId, accessType, salesRepRole },
  });
}

async function repCustomers(token: string): Promise<string[]> {
  const result = await client.get("/api/salesreps/customers", { token, query: { pageSize: 100 } });
  expect(result.status, result.text).toBe(200);
  return (result.body.data as { customerNumber: string }[]).map((c) => c.customerNumber).sort();
}

async function gqlRepCustomers(token: string): Promise<string[]> {
  const result = await client.graphql(`{ mySalesRepCustomers(pageSize: 100) { items { customerNumber } } }`, {}, token);
  expect(result.errors).toBeUndefined();
  return (result.data.mySalesRepCustomers.items as { customerNumber: string }[]).map((c) => c.customerNumber).sort();
}

const actFor = async (email: string, org: Organization, customerNumber: string) =>
  client.post("/api/auth/access", {
    token: await signIn(client, email),
    body: { IdentityOrganizationId: org.identityOrganizationId, CustomerNumber: customerNumber },
  });

describe("sales-rep roles over REST", () => {
  it("creates, lists, changes and deletes a role, answering in PascalCase", async () => {
    const key = unique("east").toLowerCase();
    const created = await client.post(path, {
      token: acme.adminToken,
      body: {
        Key: key.toUpperCase(),
        Name: "East",
        Description: "Reps of the eastern states",
        Scope: { Any: [{ Attribute: "territory", Equals: "Northeast" }, { CustomerNumbers: ["C-1", "C-1"] }] },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      Key: key,
      Name: "East",
      Description: "Reps of the eastern states",
      Scope: {
        Any: [
          { Attribute: "territory", Equals: "Northeast", CustomerNumbers: null },
          { Attribute: null, Equals: null, CustomerNumbers: ["C-1"] },
        ],
      },
    });
    expect(Object.keys(created.body).sort()).toEqual(
      ["CreatedAt", "Description", "Id", "Key", "Name", "Scope", "UpdatedAt"].sort(),
    );

    const listed = await client.get(path, { token: acme.adminToken });
    expect(listed.status).toBe(200);
    expect(listed.body.map((role: { Key: string }) => role.Key)).toContain(key);
    expect(listed.headers.get("x-total-count")).toBe(String(listed.body.length));

    const changed = await client.patch(`${path}/${key}`, {
      token: acme.adminToken,
      body: { Name: "East coast", Description: "", Scope: { Any: [{ CustomerNumbers: ["C-9"] }] } },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      Key: key,
      Name: "East coast",
      Description: null,
      Scope: { Any: [{ CustomerNumbers: ["C-9"] }] },
    });
    // Omitted fields stay as they are.
    const renamed = await client.patch(`${path}/${key}`, { token: acme.adminToken, body: { Name: "East" } });
    expect(renamed.body.Scope).toEqual(changed.body.Scope);

    const deleted = await client.delete(`${path}/${key}`, { token: acme.adminToken });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ Success: true });
    expect((await client.delete(`${path}/${key}`, { token: acme.adminToken })).status).toBe(404);
  });

  it("refuses a taken key, a bad key and a bad scope with 400 naming each field, and an unknown key with 404", async () => {
    const key = unique("dup").toLowerCase();
    await createRole(acme, { Key: key, Name: "Dup", Scope: { Any: [{ CustomerNumbers: ["C-1"] }] } });
    const taken = await client.post(path, {
      token: acme.adminToken,
      body: { Key: key, Name: "Again", Scope: { Any: [{ CustomerNumbers: ["C-1"] }] } },
    });
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual({ Key: "is already the key of a sales-rep role of your organization" });
    // Another organization may use the same key.
    await createRole(other, { Key: key, Name: "Theirs", Scope: { Any: [{ CustomerNumbers: ["C-1"] }] } });

    const bad = await client.post(path, {
      token: acme.adminToken,
      body: { Key: "no spaces", Name: "", Scope: { Any: [{ Attribute: "territory" }, {}] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.errors).toEqual({
      Key: "must be 1 to 50 lower-case letters, digits, - and _, starting with a letter or digit",
      Name: "is required",
      "Scope.Any[0].Equals": "is required",
      "Scope.Any[1]":
        "must be an attribute clause (attribute, equals) or a customerNumbers clause or a descendantsOf clause",
    });
    const empty = await client.post(path, { token: acme.adminToken, body: { Key: "empty", Name: "E", Scope: {} } });
    expect(empty.status).toBe(400);
    expect(empty.text).not.toMatch(/select|insert|at \w+ \(/i);

    const unknown = await client.patch(`${path}/nope`, { token: acme.adminToken, body: { Name: "X" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe("No sales-rep role nope exists in your organization");
  });

  it("is for admins only", async () => {
    const customer = await acme.customerUser();
    expect((await client.get(path, { token: customer.token })).status).toBe(403);
    expect((await client.get(path)).status).toBe(401);
    const gql = await client.graphql(`{ salesRepRoles { key } }`, {}, customer.token);
    expect(gql.codes).toEqual(["FORBIDDEN"]);
  });
});

describe("a rep with access type role", () => {
  it("follows its role's scope when the role changes, over REST and GraphQL, in its list, single reads and acting for a customer", async () => {
    const suffix = unique("s");
    const ownNumber = unique("R");
    const northeast = await acme.customer({
      customerNumber: `NE-${suffix}`,
      customerAttributes: { territory: "Northeast" },
    });
    const west = await acme.customer({ customerNumber: `W-${suffix}`, customerAttributes: { territory: "West" } });
    const listed = await acme.customer({ customerNumber: `L-${suffix}` });
    const own = await acme.customer({ customerNumber: `O-${suffix}`, repNumber: ownNumber });
    const key = unique("territory").toLowerCase();
    await createRole(acme, {
      Key: key,
      Name: "Territory",
      Scope: { Any: [{ Attribute: "territory", Equals: "Northeast" }] },
    });

    const first = await rep(acme, ownNumber);
    const second = await rep(acme);
    // Before: access type customer, the rep number's customers.
    expect(await repCustomers(first.token)).toEqual([own.customerNumber]);

    const set = await setAccess(acme, first.organizationSalesRepId, "role", key);
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({
      organizationSalesRepId: first.organizationSalesRepId,
      accessType: "role",
      salesRepRole: key,
    });
    const viaGraphql = await client.graphql(
      `mutation($input: SetSalesRepAccessInput!) { setSalesRepAccess(input: $input) { accessType salesRepRole } }`,
      { input: { organizationSalesRepId: second.organizationSalesRepId, accessType: "ROLE", salesRepRole: key } },
      acme.adminToken,
    );
    expect(viaGraphql.data).toEqual({ setSalesRepAccess: { accessType: "ROLE", salesRepRole: key } });

    // Exactly the role's customers: its own rep number's no longer count.
    expect(await repCustomers(first.token)).toEqual([northeast.customerNumber]);
    expect(await gqlRepCustomers(second.token)).toEqual([northeast.customerNumber]);
    expect((await client.get(`/api/customers/${northeast.customerNumber}`, { token: first.token })).status).toBe(200);
    expect((await client.get(`/api/customers/${west.customerNumber}`, { token: first.token })).status).toBe(404);
    const acting = await actFor(first.email, acme, northeast.customerNumber);
    expect(acting.status, acting.text).toBe(200);
    expect((await actFor(first.email, acme, west.customerNumber)).status).toBe(403);

    const changed = await client.graphql(
      `mutation($key: String!, $input: UpdateSalesRepRoleInput!) {
        updateSalesRepRole(key: $key, input: $input) { key scope { any { attribute equals customerNumbers } } }
      }`,
      {
        key,
        input: {
          scope: { any: [{ attribute: "territory", equals: "West" }, { customerNumbers: [listed.customerNumber] }] },
        },
      },
      acme.adminToken,
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data.updateSalesRepRole.scope.any).toEqual([
      { attribute: "territory", equals: "West", customerNumbers: null },
      { attribute: null, equals: null, customerNumbers: [listed.customerNumber] },
    ]);

    // The next request of every rep holding the role follows it, tokens unchanged.
    const now = [listed.customerNumber, west.customerNumber].sort();
    expect(await repCustomers(first.token)).toEqual(now);
    expect(await gqlRepCustomers(second.token)).toEqual(now);
    expect(await repCustomers(second.token)).toEqual(now);
    const single = await client.graphql(
      `query($n: String!) { customer(customerNumber: $n) { customerNumber } }`,
      { n: northeast.customerNumber },
      first.token,
    );
    expect(single.codes).toEqual(["NOT_FOUND"]);
    expect((await client.get(`/api/customers/${west.customerNumber}`, { token: first.token })).status).toBe(200);
    expect((await client.get("/api/salesreps/customers", { token: acting.body.AccessToken })).status).toBe(403);
    expect((await actFor(first.email, acme, listed.customerNumber)).status).toBe(200);
    expect((await actFor(first.email, acme, northeast.customerNumber)).status).toBe(403);

    // A customer upserted into the territory later joins at once.
    const later = await acme.customer({ customerNumber: `W2-${suffix}`, customerAttributes: { territory: "West" } });
    expect(await repCustomers(first.token)).toContain(later.customerNumber);

    // Held roles are not deleted; back to customer, the rep number's customers return.
    const refused = await client.delete(`${path}/${key}`, { token: acme.adminToken });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe(
      `The sales-rep role ${key} is held by 2 sales reps; give them another access first`,
    );
    const gqlRefused = await client.graphql(
      `mutation { deleteSalesRepRole(key: "${key}") { key } }`,
      {},
      acme.adminToken,
    );
    expect(gqlRefused.codes).toEqual(["CONFLICT"]);
    expect((await setAccess(acme, first.organizationSalesRepId, "customer")).body.salesRepRole).toBeNull();
    expect(await repCustomers(first.token)).toEqual([own.customerNumber]);
    expect((await setAccess(acme, second.organizationSalesRepId, "all")).status).toBe(200);
    expect(await repCustomers(second.token)).toEqual(
      expect.arrayContaining([
        northeast.customerNumber,
        west.customerNumber,
        listed.customerNumber,
        own.customerNumber,
      ]),
    );
    expect((await client.delete(`${path}/${key}`, { token: acme.adminToken })).status).toBe(200);
  });

  it("refuses a role that is missing, unknown, another organization's, or given with another access type", async () => {
    const key = unique("mine").toLowerCase();
    const theirs = unique("theirs").toLowerCase();
    await createRole(acme, { Key: key, Name: "Mine", Scope: { Any: [{ CustomerNumbers: ["C-1"] }] } });
    await createRole(other, { Key: theirs, Name: "Theirs", Scope: { Any: [{ CustomerNumbers: ["C-1"] }] } });
    const added = await acme.salesRep();
    const refusals: [string, string | undefined, string][] = [
      ["role", undefined, "is required with access type role"],
      ["role", "nope", "is not a sales-rep role of your organization"],
      ["role", theirs, "is not a sales-rep role of your organization"],
      ["customer", key, "may be given only with access type role"],
    ];
    for (const [accessType, role, problem] of refusals) {
      const result = await setAccess(acme, added.organizationSalesRepId, accessType, role);
      expect(result.status, `${accessType} ${role}`).toBe(400);
      expect(result.body.errors).toEqual({ salesRepRole: problem });
    }
    const badType = await setAccess(acme, added.organizationSalesRepId, "everything");
    expect(badType.status).toBe(400);
    expect(badType.body.errors).toHaveProperty("accessType");
    const foreign = await client.patch("/api/organizations/salesreps/access", {
      token: other.adminToken,
      body: { organizationSalesRepId: added.organizationSalesRepId, accessType: "customer" },
    });
    expect(foreign.status).toBe(404);
  });

  it("can be created with its role by POST /api/salesRep, which also checks the role", async () => {
    const suffix = unique("s");
    const inScope = await acme.customer({ customerNumber: `IN-${suffix}`, customerAttributes: { segment: "retail" } });
    await acme.customer({ customerNumber: `OUT-${suffix}` });
    const key = unique("retail").toLowerCase();
    await createRole(acme, { Key: key, Name: "Retail", Scope: { Any: [{ Attribute: "segment", Equals: "retail" }] } });
    const email = uniqueEmail("created");
    const company = (fields: Record<string, unknown>) => ({
      firstName: "C",
      email,
      salesRepCompanies: [{ company: acme.organizationId, customers: [], ...fields }],
    });
    const unknown = await client.post("/api/salesRep", {
      token: acme.adminToken,
      body: company({ accessType: "role", salesRepRole: "nope" }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      success: false,
      message: "salesRepCompanies[0].salesRepRole is not a sales-rep role of that company",
    });
    const wrongType = await client.post("/api/salesRep", {
      token: acme.adminToken,
      body: company({ accessType: "all", salesRepRole: key }),
    });
    expect(wrongType.status).toBe(400);

    const created = await client.post("/api/salesRep", {
      token: acme.adminToken,
      body: company({ accessType: "role", salesRepRole: key }),
    });
    expect(created.status, created.text).toBe(200);
    // The documented answer keeps its fields.
    expect(Object.keys(created.body.data.salesRepCompanies[0]).sort()).toEqual([
      "accessType",
      "company",
      "customers",
      "id",
    ]);
    const token = await acme.repToken(email);
    expect(await repCustomers(token)).toEqual([inScope.customerNumber]);
  });
});

describe("changes to roles and access", () => {
  it("are audited and raise webhook events", async () => {
    const org = await kit.organization();
    const endpoint = await client.post("/api/organizations/webhooks", {
      token: org.adminToken,
      body: {
        Url: "http://127.0.0.1:9/hook",
        EventTypes: [
          "sales_rep_role.created",
          "sales_rep_role.updated",
          "sales_rep_role.deleted",
          "salesrep.access_changed",
        ],
      },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    const key = "audited";
    await createRole(org, { Key: key, Name: "A", Scope: { Any: [{ CustomerNumbers: ["C-1"] }] } });
    await client.patch(`${path}/${key}`, { token: org.adminToken, body: { Name: "B" } });
    const added = await org.salesRep();
    expect((await setAccess(org, added.organizationSalesRepId, "role", key)).status).toBe(200);
    // Setting what is already set changes nothing and raises no event.
    expect((await setAccess(org, added.organizationSalesRepId, "role", key)).status).toBe(200);
    expect((await setAccess(org, added.organizationSalesRepId, "customer")).status).toBe(200);
    expect((await client.delete(`${path}/${key}`, { token: org.adminToken })).status).toBe(200);

    const deliveries = await client.get(`/api/organizations/webhooks/${endpoint.body.Id}/deliveries`, {
      token: org.adminToken,
      query: { pageSize: 100, sortDirection: "asc" },
    });
    expect(deliveries.body.Data.map((d: { EventType: string }) => d.EventType)).toEqual([
      "sales_rep_role.created",
      "sales_rep_role.updated",
      "salesrep.access_changed",
      "salesrep.access_changed",
      "sales_rep_role.deleted",
    ]);

    const trail = await client.get("/api/organizations/audit-events", {
      token: org.adminToken,
      query: { pageSize: 100 },
    });
    const operations = trail.body.Data.map((event: { Operation: string }) => event.Operation);
    expect(operations.filter((op: string) => op === "setSalesRepAccess")).toHaveLength(3);
    for (const op of ["createSalesRepRole", "updateSalesRepRole", "deleteSalesRepRole"])
      expect(operations).toContain(op);
  });
});

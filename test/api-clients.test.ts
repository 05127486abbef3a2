import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClients } from "../src/features/api-clients/api-clients.tables.js";
import { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims, unique, type SeededOrganization } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

let kit: TestKit;
let server: TestServer;
let client: Client;
let acme: Organization;
let globex: Organization;

beforeAll(async () => {
  kit = await testKit();
  server = kit.server;
  client = kit.client;
  acme = await kit.organization();
  globex = await kit.organization();
});

afterAll(async () => {
  await kit?.close();
});

interface Created {
  Id: string;
  ClientSecret: string;
}

async function createClient(org: SeededOrganization, name = unique("erp"), via = client): Promise<Created> {
  const result = await via.post("/api/organizations/api-clients", {
    token: org.adminToken,
    body: { Name: name, Roles: ["Admin"] },
  });
  expect(result.status).toBe(200);
  return result.body;
}

/** POST /oauth/token with a form body, optionally authenticating with HTTP Basic. */
function tokenRequest(form: Record<string, string>, basic?: { id: string; secret: string }, via = client) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic) {
    const pair = `${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
  }
  return via.post("/oauth/token", { rawBody: new URLSearchParams(form).toString(), headers });
}

async function clientToken(created: Created): Promise<string> {
  const result = await tokenRequest({
    grant_type: "client_credentials",
    client_id: created.Id,
    client_secret: created.ClientSecret,
  });
  expect(result.status).toBe(200);
  return result.body.access_token;
}

describe("creating and listing API clients", () => {
  it("shows the secret once, on creation, and never in the list", async () => {
    const name = unique("ERP nightly");
    const result = await client.post("/api/organizations/api-clients", {
      token: acme.adminToken,
      body: { Name: name, Roles: ["Admin"] },
    });
    expect(result.status).toBe(200);
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(result.body).toEqual({
      Id: expect.stringMatching(/^gwci_[0-9a-f]{32}$/),
      Name: name,
      Roles: ["Admin"],
      CreatedAt: expect.any(String),
      LastUsedAt: null,
      ClientSecret: expect.stringMatching(/^gwcs_[A-Za-z0-9_-]{43}$/),
    });

    const list = await client.get("/api/organizations/api-clients", { token: acme.adminToken });
    expect(list.status).toBe(200);
    expect(list.body).toContainEqual({
      Id: result.body.Id,
      Name: name,
      Roles: ["Admin"],
      CreatedAt: result.body.CreatedAt,
      LastUsedAt: null,
    });
    expect(list.text).not.toContain(result.body.ClientSecret);
    expect(list.headers.get("x-total-count")).toBe(String(list.body.length));

    const [row] = await server.database.db.select().from(apiClients).where(eq(apiClients.id, result.body.Id));
    expect(row!.secretHash).not.toContain(result.body.ClientSecret);
  });

  it("creates and lists over GraphQL, where the list has no secret field at all", async () => {
    const created = await client.graphql(
      `mutation { createApiClient(input: { name: "Warehouse", roles: ["admin"] }) { client { id roles } clientSecret } }`,
      {},
      acme.adminToken,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createApiClient.client.roles).toEqual(["Admin"]);
    expect(created.data.createApiClient.clientSecret).toMatch(/^gwcs_/);
    const listed = await client.graphql(`{ apiClients { id name } }`, {}, acme.adminToken);
    expect(listed.data.apiClients.map((c: { id: string }) => c.id)).toContain(created.data.createApiClient.client.id);
    const secret = await client.graphql(`{ apiClients { clientSecret } }`, {}, acme.adminToken);
    expect(secret.status).toBe(400);
    expect(secret.errors![0]!.message).toMatch(/Cannot query field "clientSecret"/);
  });

  it("refuses roles a machine cannot hold and a missing name with 400", async () => {
    const result = await client.post("/api/organizations/api-clients", {
      token: acme.adminToken,
      body: { Name: " ", Roles: ["Customer"] },
    });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual({
      Name: "is required",
      "Roles[0]": "must be one of Admin: an API client cannot act as a person",
    });
    const none = await client.post("/api/organizations/api-clients", {
      token: acme.adminToken,
      body: { Name: "Nothing", Roles: [] },
    });
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual({ Roles: "must name at least one role" });
  });

  it("needs an Admin token, which a client token holding Admin is", async () => {
    expect((await client.get("/api/organizations/api-clients")).status).toBe(401);
    const token = await clientToken(await createClient(acme));
    expect((await client.get("/api/organizations/api-clients", { token })).status).toBe(200);
  });
});

describe("POST /oauth/token", () => {
  let erp: Created;
  beforeAll(async () => {
    erp = await createClient(acme);
  });

  it("exchanges credentials from a form body for an organization token", async () => {
    const result = await tokenRequest({
      grant_type: "client_credentials",
      client_id: erp.Id,
      client_secret: erp.ClientSecret,
    });
    expect(result.status).toBe(200);
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(result.body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3600,
      scope: "Admin",
    });
    expect(claims(result.body.access_token)).toMatchObject({
      token_use: "client",
      client_id: erp.Id,
      sub: erp.Id,
      OrganizationId: acme.organizationId,
      Roles: ["Admin"],
    });
  });

  it("accepts HTTP Basic credentials and a scope within the client's roles", async () => {
    const result = await tokenRequest(
      { grant_type: "client_credentials", scope: "Admin" },
      { id: erp.Id, secret: erp.ClientSecret },
    );
    expect(result.status).toBe(200);
    expect(result.body.scope).toBe("Admin");
  });

  it("answers a wrong secret with invalid_client, challenging Basic callers", async () => {
    const form = await tokenRequest({ grant_type: "client_credentials", client_id: erp.Id, client_secret: "gwcs_x" });
    expect(form.status).toBe(401);
    expect(form.body).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
    expect(form.headers.get("www-authenticate")).toBeNull();
    expect(form.headers.get("cache-control")).toBe("no-store");

    const basic = await tokenRequest({ grant_type: "client_credentials" }, { id: erp.Id, secret: "wrong" });
    expect(basic.status).toBe(401);
    expect(basic.body.error).toBe("invalid_client");
    expect(basic.headers.get("www-authenticate")).toMatch(/^Basic /);

    const unknown = await tokenRequest({
      grant_type: "client_credentials",
      client_id: "gwci_unknown",
      client_secret: erp.ClientSecret,
    });
    expect(unknown.body).toEqual(form.body);
    const anonymous = await tokenRequest({ grant_type: "client_credentials" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe("invalid_client");
  });

  it("answers other grant types, bad scopes and malformed requests per RFC 6749 §5.2", async () => {
    const credentials = { client_id: erp.Id, client_secret: erp.ClientSecret };
    const password = await tokenRequest({ grant_type: "password", ...credentials });
    expect(password.status).toBe(400);
    expect(password.body.error).toBe("unsupported_grant_type");

    const scope = await tokenRequest({ grant_type: "client_credentials", scope: "Admin SalesRep", ...credentials });
    expect(scope.status).toBe(400);
    expect(scope.body).toEqual({
      error: "invalid_scope",
      error_description: "Not granted to this client: SalesRep; it may ask for Admin",
    });

    const missing = await tokenRequest({ ...credentials });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "grant_type is required" });

    const json = await client.post("/oauth/token", { body: { grant_type: "client_credentials", ...credentials } });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe("invalid_request");

    const both = await tokenRequest(
      { grant_type: "client_credentials", ...credentials },
      { id: erp.Id, secret: erp.ClientSecret },
    );
    expect(both.status).toBe(400);
    expect(both.body.error).toBe("invalid_request");

    const twice = await client.post("/oauth/token", {
      rawBody: `grant_type=client_credentials&grant_type=client_credentials&client_id=${erp.Id}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(twice.body).toEqual({ error: "invalid_request", error_description: "grant_type is given more than once" });
  });

  it("records the last use at the exchange", async () => {
    const fresh = await createClient(acme);
    await clientToken(fresh);
    const list = await client.get("/api/organizations/api-clients", { token: acme.adminToken });
    const listed = list.body.find((c: { Id: string }) => c.Id === fresh.Id);
    expect(Date.now() - Date.parse(listed.LastUsedAt)).toBeLessThan(60_000);
  });
});

describe("a client token", () => {
  let erp: Created;
  let token: string;
  beforeAll(async () => {
    erp = await createClient(acme);
    token = await clientToken(erp);
  });

  it("does what Admin may in its own organization, over REST and GraphQL", async () => {
    const customerNumber = unique("C");
    const upsert = await client.put("/api/customers", {
      token,
      body: { CustomerNumber: customerNumber, CompanyName: "Imported by ERP" },
    });
    expect(upsert.status).toBe(200);
    expect(upsert.body).toMatchObject({ customerNumber, companyName: "Imported by ERP" });
    const organization = await client.get("/api/organization", { token });
    expect(organization.body.Organization.OrganizationId).toBe(acme.organizationId);
    const gql = await client.graphql(`{ customer(customerNumber: "${customerNumber}") { companyName } }`, {}, token);
    expect(gql.data).toEqual({ customer: { companyName: "Imported by ERP" } });
    // The customer was written into the client's organization only.
    const elsewhere = await client.get(`/api/customers/${customerNumber}`, { token: globex.adminToken });
    expect(elsewhere.status).toBe(404);
  });

  it("is refused where a person is needed, with 403 saying so", async () => {
    const message = "This operation requires a user: an API client token cannot call it";
    for (const [method, path] of [
      ["GET", "/api/users/profile"],
      ["GET", "/api/users/organizations"],
      ["GET", "/api/salesreps/organizations"],
      ["GET", "/api/salesreps/customers"],
    ] as const) {
      const result = await client.request(method, path, { token });
      expect({ path, status: result.status, detail: result.body.detail }).toEqual({
        path,
        status: 403,
        detail: message,
      });
    }
    const access = await client.post("/api/auth/access", {
      token,
      body: { IdentityOrganizationId: acme.identityOrganizationId },
    });
    expect(access.status).toBe(403);
    expect(access.body.detail).toBe(message);
    const gql = await client.graphql(`{ profile { id } }`, {}, token);
    expect(gql.codes).toEqual(["FORBIDDEN"]);
    expect(gql.errors![0]!.message).toBe(message);
  });

  it("acts for its own organization only where an admin's reach spans organizations", async () => {
    const rep = await client.put("/api/organizations/salesreps", {
      token,
      body: { firstName: "Rita", lastName: "Rep", email: `${unique("rita")}@example.com`, repNumber: unique("R") },
    });
    expect(rep.status).toBe(200);
    const created = await client.post("/api/salesRep", {
      headers: { authorization: `Bearer ${token}` },
      body: {
        firstName: "Sam",
        email: `${unique("sam")}@example.com`,
        salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
      },
    });
    expect(created.status).toBe(403);
    expect(created.body).toEqual({
      success: false,
      message: "This operation requires a user: an API client token cannot call it",
    });
    const associations = await client.get("/api/users/customer-associations", {
      token,
      query: { UserId: acme.admin.userId },
    });
    expect(associations.status).toBe(200);
    expect(associations.body).toEqual([]);
  });

  it("records use on requests at most once a minute", async () => {
    const db = server.database.db;
    await db
      .update(apiClients)
      .set({ lastUsedAt: sql`now() - interval '10 minutes'` })
      .where(eq(apiClients.id, erp.Id));
    expect((await client.get("/api/organizations/price-tiers", { token })).status).toBe(200);
    const [touched] = await db.select().from(apiClients).where(eq(apiClients.id, erp.Id));
    expect(Date.now() - touched!.lastUsedAt!.getTime()).toBeLessThan(60_000);
    expect((await client.get("/api/organizations/price-tiers", { token })).status).toBe(200);
    const [again] = await db.select().from(apiClients).where(eq(apiClients.id, erp.Id));
    expect(again!.lastUsedAt).toEqual(touched!.lastUsedAt);
  });
});

describe("revoking", () => {
  it("refuses the client's tokens from the next request, and its credentials", async () => {
    const created = await createClient(acme);
    const token = await clientToken(created);
    expect((await client.get("/api/organizations/price-tiers", { token })).status).toBe(200);

    const revoked = await client.delete("/api/organizations/api-clients", {
      token: acme.adminToken,
      body: { Id: created.Id },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ Success: true });

    const next = await client.get("/api/organizations/price-tiers", { token });
    expect(next.status).toBe(401);
    expect(next.body.detail).toBe("The API client of the bearer token has been revoked");
    expect((await client.graphql(`{ priceTiers { id } }`, {}, token)).codes).toEqual(["UNAUTHENTICATED"]);
    const exchange = await tokenRequest({
      grant_type: "client_credentials",
      client_id: created.Id,
      client_secret: created.ClientSecret,
    });
    expect(exchange.status).toBe(401);
    const list = await client.get("/api/organizations/api-clients", { token: acme.adminToken });
    expect(list.body.map((c: { Id: string }) => c.Id)).not.toContain(created.Id);
  });

  it("is scoped to the caller's organization: another one can neither see nor revoke the client", async () => {
    const created = await createClient(acme);
    const theirs = await client.get("/api/organizations/api-clients", { token: globex.adminToken });
    expect(theirs.body.map((c: { Id: string }) => c.Id)).not.toContain(created.Id);
    const attempt = await client.delete("/api/organizations/api-clients", {
      token: globex.adminToken,
      body: { Id: created.Id },
    });
    expect(attempt.status).toBe(404);
    const gql = await client.graphql(`mutation { revokeApiClient(id: "${created.Id}") { id } }`, {}, globex.adminToken);
    expect(gql.codes).toEqual(["NOT_FOUND"]);
    expect((await client.get("/api/organizations/price-tiers", { token: await clientToken(created) })).status).toBe(
      200,
    );
    const own = await client.graphql(
      `mutation { revokeApiClient(id: "${created.Id}") { id name roles revokedAt } }`,
      {},
      acme.adminToken,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data.revokeApiClient).toMatchObject({ id: created.Id, roles: ["Admin"] });
    expect(Date.parse(own.data.revokeApiClient.revokedAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("creation rate limit", () => {
  it("allows 10 creations an hour per address, then answers 429", async () => {
    const limited = await startServer({ database: server.database });
    try {
      const other = new Client(limited.url);
      for (let i = 0; i < 10; i++) {
        const result = await other.post("/api/organizations/api-clients", {
          token: globex.adminToken,
          body: { Name: `batch ${i}`, Roles: ["Admin"] },
        });
        expect(result.status).toBe(200);
      }
      const refused = await other.post("/api/organizations/api-clients", {
        token: globex.adminToken,
        body: { Name: "one too many", Roles: ["Admin"] },
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      // Listing is not limited.
      expect((await other.get("/api/organizations/api-clients", { token: globex.adminToken })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("POST /oauth/token throttles failed client authentications", () => {
  let limited: TestServer;
  let limitedClient: Client;
  beforeAll(async () => {
    limited = await startServer({
      database: server.database,
      mailWorker: false,
      env: { OAUTH_FAILURE_LIMIT_PER_CLIENT: "3", OAUTH_FAILURE_LIMIT_PER_IP: "6" },
    });
    limitedClient = new Client(limited.url);
  });
  afterAll(async () => {
    await limited?.close();
  });

  const attempt = (id: string, secret: string) =>
    tokenRequest({ grant_type: "client_credentials", client_id: id, client_secret: secret }, undefined, limitedClient);

  it("answers 429 with Retry-After and an RFC 6749 error once one client_id has failed too often, even with its right secret", async () => {
    const erp = await createClient(acme, unique("erp"), limitedClient);
    const other = await createClient(acme, unique("erp"), limitedClient);
    for (let i = 0; i < 3; i++) expect((await attempt(erp.Id, `gwcs_wrong${i}`)).status).toBe(401);
    for (const secret of ["gwcs_wrong", erp.ClientSecret]) {
      const refused = await attempt(erp.Id, secret);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: "temporarily_unavailable",
        error_description: expect.stringMatching(/^Too many failed client authentications; try again in \d+ seconds$/),
      });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("cache-control")).toBe("no-store");
    }
    // Another client from the same address goes on; successes do not count.
    for (let i = 0; i < 5; i++) expect((await attempt(other.Id, other.ClientSecret)).status).toBe(200);
  });

  it("limits failures per client IP across client ids, a guess spread over many of them", async () => {
    const spread = await startServer({
      database: server.database,
      mailWorker: false,
      env: { OAUTH_FAILURE_LIMIT_PER_CLIENT: "100", OAUTH_FAILURE_LIMIT_PER_IP: "4" },
    });
    try {
      const via = new Client(spread.url);
      const erp = await createClient(globex, unique("erp"), via);
      const guess = (id: string, secret: string) =>
        tokenRequest({ grant_type: "client_credentials", client_id: id, client_secret: secret }, undefined, via);
      for (let i = 0; i < 4; i++) expect((await guess(`guessed-${i}`, "gwcs_x")).status).toBe(401);
      const refused = await guess("guessed-5", "gwcs_x");
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe("temporarily_unavailable");
      expect((await guess(erp.Id, erp.ClientSecret)).status).toBe(429);
    } finally {
      await spread.close();
    }
  });
});

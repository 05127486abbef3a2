import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { accessToken, claims, password, signIn, unique, uniqueEmail } from "./support/seed.js";

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

describe("POST /api/organizations", () => {
  it("creates the organization and its admin, answering the documented fields", async () => {
    const name = unique("Acme Corp");
    const email = uniqueEmail("john");
    const result = await client.post("/api/organizations", {
      body: {
        Organization: {
          Name: name,
          BillingAddress1: "123 Any Street",
          BillingCity: "Miami",
          Website: "https://www.acmecorp.com",
        },
        User: { FirstName: "John", LastName: "Doe", Email: email, Password: password, PhoneNumber: "561-555-1212" },
      },
    });
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(["IdentityOrganizationId", "Name", "OrganizationId", "Slug"]);
    expect(result.body.Name).toBe(name);
    expect(result.body.Slug).toMatch(/^acme-corp-/);
    expect(result.body.IdentityOrganizationId).toMatch(/^org_/);

    const identity = await signIn(client, email);
    const token = await accessToken(client, identity, result.body.IdentityOrganizationId);
    expect(claims(token)).toMatchObject({ OrganizationId: result.body.OrganizationId, Roles: ["Admin"], Email: email });
  });

  it("binds request keys case-insensitively", async () => {
    const result = await client.post("/api/organizations", {
      body: {
        organization: { name: unique("lower") },
        user: { firstName: "Lo", email: uniqueEmail("lower"), password },
      },
    });
    expect(result.status).toBe(200);
  });

  it("refuses a name that exists, in any case, with 400", async () => {
    const result = await client.post("/api/organizations", {
      body: {
        Organization: { Name: acme.name.toUpperCase() },
        User: { FirstName: "J", Email: uniqueEmail(), Password: password },
      },
    });
    expect(result.status).toBe(400);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(result.body.errors).toHaveProperty("Organization.Name");
  });

  it("names every missing required field", async () => {
    const result = await client.post("/api/organizations", {
      body: { Organization: {}, User: { Email: "not-an-email" } },
    });
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.errors)).toEqual(expect.arrayContaining(["User.FirstName", "User.Password"]));
  });

  it("refuses an e-mail already registered unless the password proves ownership", async () => {
    const stranger = await client.post("/api/organizations", {
      body: {
        Organization: { Name: unique("Hijack") },
        User: { FirstName: "X", Email: acme.admin.email, Password: "wrong-password" },
      },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors).toHaveProperty("User.Email");

    const owner = await client.post("/api/organizations", {
      body: {
        Organization: { Name: unique("Second") },
        User: { FirstName: "Ada", Email: acme.admin.email.toUpperCase(), Password: password },
      },
    });
    expect(owner.status).toBe(200);
  });

  it("tells an anonymous caller to authenticate before judging its input", async () => {
    const anonymous = await client.delete("/api/organizations/users/admins", { body: {} });
    expect(anonymous.status).toBe(401);
    const forged = await client.delete("/api/organizations/users/admins", { body: {}, token: "x.y.z" });
    expect(forged.status).toBe(401);
    // A public operation still answers bad input with 400.
    expect((await client.post("/api/organizations", { body: {} })).status).toBe(400);
  });

  it("answers malformed JSON and a non-object body with 400, never 500", async () => {
    const malformed = await client.post("/api/organizations", { rawBody: "{ not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.status).toBe(400);
    const array = await client.post("/api/organizations", { body: [1, 2] });
    expect(array.status).toBe(400);
    const huge = await client.post("/api/organizations", { rawBody: JSON.stringify({ x: "a".repeat(300_000) }) });
    expect(huge.status).toBe(413);
  });
});

describe("GET /api/organization", () => {
  it("answers the organization, subscriptions and entitlements", async () => {
    const result = await client.get("/api/organization", { token: acme.adminToken });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      Organization: { OrganizationId: acme.organizationId, Name: acme.name, BillingCity: "Miami" },
      Subscriptions: [],
      Entitlements: [],
    });
  });

  it("answers 401 without a token or with a forged one, 403 for an identity token", async () => {
    expect((await client.get("/api/organization")).status).toBe(401);
    const forged = kit.tokens.tampered(acme.adminToken);
    expect((await client.get("/api/organization", { token: forged })).status).toBe(401);
    expect((await client.get("/api/organization", { token: "not.a.jwt" })).status).toBe(401);
    const identity = await signIn(client, acme.admin.email);
    expect((await client.get("/api/organization", { token: identity })).status).toBe(403);
  });

  it("shows each admin only its own organization", async () => {
    const result = await client.get("/api/organization", { token: other.adminToken });
    expect(result.body.Organization.OrganizationId).toBe(other.organizationId);
  });
});

describe("PATCH /api/organization", () => {
  it("changes only the fields given", async () => {
    const result = await client.patch("/api/organization", {
      token: acme.adminToken,
      body: { billingCity: "Tampa", Website: "https://acme.example" },
    });
    expect(result.status).toBe(200);
    expect(result.body.Organization).toMatchObject({
      BillingCity: "Tampa",
      Website: "https://acme.example",
      Name: acme.name,
    });
  });

  it("refuses an unknown default price tier and another organization's name", async () => {
    const tier = await client.patch("/api/organization", {
      token: acme.adminToken,
      body: { DefaultPriceTier: "Nope" },
    });
    expect(tier.status).toBe(400);
    expect(tier.body.errors).toHaveProperty("DefaultPriceTier");
    const name = await client.patch("/api/organization", { token: acme.adminToken, body: { Name: other.name } });
    expect(name.status).toBe(400);
  });
});

describe("organization admins", () => {
  it("lists admins in the documented shape", async () => {
    const result = await client.get("/api/organizations/users/admins", { token: acme.adminToken });
    expect(result.status).toBe(200);
    expect(result.body).toEqual([
      {
        Id: acme.admin.userId,
        Email: acme.admin.email,
        FirstName: "Ada",
        LastName: "Admin",
        Roles: ["admin"],
        Pending: false,
      },
    ]);
  });

  it("assigns an existing account, refuses an unknown one, and never lists another tenant's admins", async () => {
    const unknown = await client.post("/api/organizations/users/admins", {
      token: acme.adminToken,
      body: { Email: uniqueEmail() },
    });
    expect(unknown.status).toBe(400);

    const assigned = await client.post("/api/organizations/users/admins", {
      token: acme.adminToken,
      body: { Email: other.admin.email },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ Success: true });
    const list = await client.get("/api/organizations/users/admins", { token: acme.adminToken });
    expect(list.body.map((a: { Email: string }) => a.Email)).toContain(other.admin.email);

    const otherList = await client.get("/api/organizations/users/admins", { token: other.adminToken });
    expect(otherList.body.map((a: { Email: string }) => a.Email)).not.toContain(acme.admin.email);
  });

  it("removes an admin, whose access token stops working at once, and keeps the last admin", async () => {
    const org = await kit.organization();
    const second = await kit.organization();
    await client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: second.admin.email },
    });
    const secondToken = await org.tokenFor(second.admin.email);
    expect((await client.get("/api/organization", { token: secondToken })).status).toBe(200);

    const removed = await client.delete("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { UserId: second.admin.userId },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ Success: true });
    expect((await client.get("/api/organization", { token: secondToken })).status).toBe(403);

    const last = await client.delete("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { UserId: org.admin.userId },
    });
    expect(last.status).toBe(400);
    const missing = await client.delete("/api/organizations/users/admins", { token: org.adminToken, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty("UserId");
  });

  it("cannot demote another organization's admin", async () => {
    const result = await client.delete("/api/organizations/users/admins", {
      token: other.adminToken,
      body: { UserId: acme.admin.userId },
    });
    expect(result.status).toBe(400);
    const still = await client.get("/api/organizations/users/admins", { token: acme.adminToken });
    expect(still.body.map((a: { Id: string }) => a.Id)).toContain(acme.admin.userId);
  });
});

describe("GraphQL", () => {
  it("answers the same organization as REST", async () => {
    const result = await client.graphql(
      `{ organization { id name billingCity subscriptions { id } } }`,
      {},
      other.adminToken,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.organization).toMatchObject({ id: other.organizationId, name: other.name, subscriptions: [] });
  });

  it("refuses operations nested too deep or with too many root fields, before running them", async () => {
    let nested = "id";
    for (let level = 0; level < 7; level++) nested = `salesRep { assignments { ${nested} } }`;
    const deep = await client.graphql(`{ organizationSalesReps { items { ${nested} } } }`, {}, acme.adminToken);
    expect(deep.codes).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(deep.errors![0]!.message).toMatch(/nested \d+ levels deep; at most 12/);

    const wide = Array.from({ length: 26 }, (_, i) => `o${i}: organization { id }`).join(" ");
    const many = await client.graphql(`{ ${wide} }`, {}, acme.adminToken);
    expect(many.codes).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(many.errors![0]!.message).toMatch(/26 root fields; at most 25/);

    const fine = Array.from({ length: 3 }, (_, i) => `o${i}: organization { id }`).join(" ");
    expect((await client.graphql(`{ ${fine} }`, {}, acme.adminToken)).errors).toBeUndefined();

    // IDEs introspect with `ofType` nested past the limit: introspection walks the schema, not data.
    const introspection = await client.graphql(getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(introspection.errors).toBeUndefined();
  });

  it("gives denials a code", async () => {
    const anonymous = await client.graphql(`{ organizationAdmins { id } }`);
    expect(anonymous.codes).toEqual(["UNAUTHENTICATED"]);
    const invalid = await client.graphql(`{ nope }`);
    expect(invalid.codes).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    const unparsable = await client.graphql(`{ organization {`);
    expect(unparsable.codes).toEqual(["GRAPHQL_PARSE_FAILED"]);
  });
});

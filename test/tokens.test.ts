import { createPublicKey, randomUUID } from "node:crypto";
import { exportPKCS8, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims, unique } from "./support/seed.js";

const issuer = "urn:tokens-test";
const audience = "urn:tokens-test:api";
let signingKey: CryptoKey;
let publicPem: string;
let kit: TestKit;
let client: Client;
let org: Organization;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  signingKey = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  kit = await testKit({
    mail: true,
    env: { JWT_PRIVATE_KEY: await exportPKCS8(signingKey), JWT_ISSUER: issuer, JWT_AUDIENCE: audience },
  });
  client = kit.client;
  org = await kit.organization();
});
afterAll(() => kit?.close());

interface Forge {
  claims?: JWTPayload;
  /** Claims to leave out of the otherwise complete set. */
  omit?: string[];
  header?: Record<string, unknown>;
  key?: CryptoKey;
}

/** An admin access token of `org` built by hand: everything valid unless the test says otherwise. */
async function forge(options: Forge = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    token_use: "access",
    UserId: org.admin.userId,
    Email: org.admin.email,
    OrganizationId: org.organizationId,
    Roles: ["Admin"],
    sub: org.admin.userId,
    iss: issuer,
    aud: audience,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    ...options.claims,
  };
  for (const claim of options.omit ?? []) delete payload[claim];
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", ...options.header }).sign(options.key ?? signingKey);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const organizationWith = (token: string) => client.get("/api/organization", { token });

describe("a token the gateway did not issue as is", () => {
  it("is accepted only when every check passes (the control case)", async () => {
    expect((await organizationWith(await forge())).status).toBe(200);
  });

  const refused: [string, () => Promise<string>][] = [
    ["alg none", async () => `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims(await forge()))}.`],
    [
      "HS256 signed with the public key as the secret",
      async () =>
        new SignJWT(claims(await forge()))
          .setProtectedHeader({ alg: "HS256" })
          .sign(new TextEncoder().encode(publicPem)),
    ],
    [
      "HS256 signed with the public key's DER bytes",
      async () =>
        new SignJWT(claims(await forge()))
          .setProtectedHeader({ alg: "HS256" })
          .sign(new Uint8Array(createPublicKey(publicPem).export({ format: "der", type: "spki" }))),
    ],
    [
      "tampered claims (another organization, signature kept)",
      async () => {
        const [header, , signature] = (await forge()).split(".");
        return `${header}.${base64url({ ...claims(org.adminToken), OrganizationId: "someone-else" })}.${signature}`;
      },
    ],
    ["expired", () => forge({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } })],
    ["not yet valid (nbf in the future)", () => forge({ claims: { nbf: Math.floor(Date.now() / 1000) + 600 } })],
    ["another issuer", () => forge({ claims: { iss: "urn:evil" } })],
    ["another audience", () => forge({ claims: { aud: "urn:evil:api" } })],
    ["an unknown kid", () => forge({ header: { kid: "not-our-key" } })],
    [
      "an unknown kid, signed with another key",
      async () => forge({ header: { kid: "theirs" }, key: (await generateKeyPair("ES256")).privateKey }),
    ],
    ["no jti", () => forge({ omit: ["jti"] })],
    ["no exp", () => forge({ omit: ["exp"] })],
    ["no sub", () => forge({ omit: ["sub"] })],
    ["UserId not the subject", () => forge({ claims: { UserId: "someone-else" } })],
    ["a user that never existed", () => forge({ claims: { sub: "u-none", UserId: "u-none" } })],
    ["garbage", async () => "not.a.token"],
    ["no iat", () => forge({ omit: ["iat"] })],
    [
      "issued in the future, beyond the clock skew",
      () => forge({ claims: { iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 } }),
    ],
    [
      "a lifetime beyond JWT_MAX_LIFETIME_SECONDS (a year)",
      () => forge({ claims: { exp: Math.floor(Date.now() / 1000) + 365 * 86_400 } }),
    ],
  ];

  it("accepts an iat within the clock skew and the longest lifetime allowed", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await organizationWith(await forge({ claims: { iat: now + 30, exp: now + 600 } }))).status).toBe(200);
    expect((await organizationWith(await forge({ claims: { iat: now, exp: now + 86_400 } }))).status).toBe(200);
  });

  it("names the age problem in the 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const future = await organizationWith(await forge({ claims: { iat: now + 3600, exp: now + 7200 } }));
    expect(future.body.detail).toBe("The bearer token was issued in the future");
    const long = await organizationWith(await forge({ claims: { exp: now + 2 * 86_400 } }));
    expect(long.body.detail).toBe("The bearer token lives longer than this gateway allows");
  });

  it.each(refused)("refuses %s with 401 and a problem that says nothing internal", async (_name, make) => {
    const result = await organizationWith(await make());
    expect(result.status).toBe(401);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(result.text).not.toMatch(/at .*\.ts|stack|select |JWSSignatureVerificationFailed/i);
    const gql = await client.graphql(`{ organization { id } }`, {}, await make());
    expect(gql.codes).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("a genuine token used where it does not belong", () => {
  it("an identity token on an organization route: 403", async () => {
    const identity = await kit.identityToken(org.admin.email);
    const result = await organizationWith(identity);
    expect(result.status).toBe(403);
    expect(result.body.detail).toMatch(/access token is required/);
  });

  it("a deleted user's tokens: 401 on the next request", async () => {
    const rep = await org.salesRep();
    const repToken = await org.repToken(rep.email);
    const identity = await kit.identityToken(rep.email);
    expect((await client.get("/api/salesreps/customers", { token: repToken })).status).toBe(200);
    // Its only assignment removed, the rep and its account are deleted.
    const removed = await client.delete("/api/organizations/salesreps", {
      token: org.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId },
    });
    expect(removed.status).toBe(200);
    expect((await client.get("/api/salesreps/customers", { token: repToken })).status).toBe(401);
    expect((await client.get("/api/salesreps/organizations", { token: identity })).status).toBe(401);
  });

  it("a rep's token acting for a customer: 403 on the next request once the customer leaves the rep's scope", async () => {
    const rep = await org.salesRep({ repNumber: unique("R") });
    const customerNumber = unique("C");
    const upsert = (repNumber: string) =>
      client.put("/api/customers", {
        token: org.adminToken,
        body: { customerNumber, companyName: "Acting For Co", repNumber },
      });
    expect((await upsert(rep.repNumber)).status).toBe(200);
    const repToken = await org.repToken(rep.email);
    const identity = await kit.identityToken(rep.email);
    const acting = await org.accessToken(identity, customerNumber);
    expect(claims(acting).CustomerNumber).toBe(customerNumber);
    expect((await client.get(`/api/customers/${customerNumber}`, { token: acting })).status).toBe(200);

    expect((await upsert("SOMEONE-ELSE")).status).toBe(200);
    const after = await client.get("/api/salesreps/customers", { token: acting });
    expect(after.status).toBe(403);
    expect(after.body.detail).toContain(customerNumber);
    const gql = await client.graphql(`{ mySalesRepCustomers { totalCount } }`, {}, acting);
    expect(gql.codes).toEqual(["FORBIDDEN"]);
    // The rep's own token, acting for no one, keeps working; so would the customer's return.
    expect((await client.get("/api/salesreps/customers", { token: repToken })).status).toBe(200);
    expect((await upsert(rep.repNumber)).status).toBe(200);
    expect((await client.get("/api/salesreps/customers", { token: acting })).status).toBe(200);
  });

  it("a customer's token: 403 once its association points at another customer", async () => {
    const first = await client.put("/api/customers", {
      token: org.adminToken,
      body: { customerNumber: unique("C"), companyName: "First Co" },
    });
    const second = await client.put("/api/customers", {
      token: org.adminToken,
      body: { customerNumber: unique("C"), companyName: "Second Co" },
    });
    const email = `${unique("cust")}@example.com`;
    const user = await client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "Cus", LastName: "Tomer", Email: email, Password: "Quiet-Harbor-Lantern-42" },
    });
    const associate = (customerNumber: string) =>
      client.post("/api/organizations/users/associate-customer", {
        token: org.adminToken,
        body: { UserId: user.body.Id, CustomerNumber: customerNumber },
      });
    expect((await associate(first.body.customerNumber)).status).toBe(200);
    const token = await org.tokenFor(email);
    expect(claims(token).CustomerNumber).toBe(first.body.customerNumber);
    expect((await client.get("/api/users/profile", { token })).status).toBe(200);
    expect((await associate(second.body.customerNumber)).status).toBe(200);
    expect((await client.get("/api/users/profile", { token })).status).toBe(403);
  });
});

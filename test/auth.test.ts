import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type ForgeOptions, type Organization, type TestKit } from "./support/kit.js";
import { claims, password, signIn } from "./support/seed.js";

const issuer = "urn:test-gateway";
const audience = "urn:test-gateway:api";
let kit: TestKit;
let client: Client;
let org: Organization;

// The external identity provider: its own key pair, JWKS served on loopback.
const idp = {
  issuer: "https://idp.test/",
  audience: "gateway-client",
  server: undefined as Server | undefined,
  url: "",
};
let idpKey: CryptoKey;

beforeAll(async () => {
  const external = await generateKeyPair("RS256", { extractable: true });
  idpKey = external.privateKey;
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(external.publicKey)), kid: "idp-1", alg: "RS256", use: "sig" }],
  });
  idp.server = createServer((_request, response) =>
    response.writeHead(200, { "content-type": "application/json" }).end(jwks),
  );
  await new Promise<void>((resolve) => idp.server!.listen(0, "127.0.0.1", resolve));
  idp.url = `http://127.0.0.1:${(idp.server.address() as AddressInfo).port}/jwks.json`;

  kit = await testKit({
    trustForgedTokens: true,
    env: {
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: audience,
      IDP_JWKS_URL: idp.url,
      IDP_ISSUER: idp.issuer,
      IDP_AUDIENCE: idp.audience,
    },
  });
  client = kit.client;
  org = await kit.organization();
});
afterAll(async () => {
  await kit?.close();
  await new Promise((resolve) => idp.server?.close(resolve));
});

/** A token signed with the gateway's configured key: the admin's claims, and those a test chooses. */
function forge(payload: Record<string, unknown>, options: ForgeOptions = {}) {
  return kit.tokens.forged(
    {
      token_use: "access",
      sub: org.admin.userId,
      UserId: org.admin.userId,
      Email: org.admin.email,
      OrganizationId: org.organizationId,
      Roles: ["Admin"],
      ...payload,
    },
    options,
  );
}

function external(payload: Record<string, unknown>, options: { aud?: string } = {}) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid: "idp-1" })
    .setIssuer(idp.issuer)
    .setAudience(options.aud ?? idp.audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(idpKey);
}

describe("POST /api/auth/sign-in", () => {
  it("answers an identity token in the documented shape", async () => {
    const result = await client.post("/api/auth/sign-in", { body: { Email: org.admin.email, Password: password } });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      AccessToken: expect.any(String),
      TokenType: "Bearer",
      ExpiresIn: 3600,
      DeviceToken: expect.stringMatching(/^gwdt_/),
    });
    expect(claims(result.body.AccessToken)).toMatchObject({
      sub: org.admin.userId,
      UserId: org.admin.userId,
      Email: org.admin.email,
      iss: issuer,
      aud: audience,
    });
    expect(claims(result.body.AccessToken).jti).toEqual(expect.any(String));
  });

  it("answers 401 with the same message for a wrong password and an unknown e-mail", async () => {
    const wrong = await client.post("/api/auth/sign-in", {
      body: { Email: org.admin.email, Password: "not-the-password" },
    });
    const unknown = await client.post("/api/auth/sign-in", {
      body: { Email: "nobody@example.com", Password: "not-the-password" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it("answers 400 naming a missing field", async () => {
    const result = await client.post("/api/auth/sign-in", { body: { Email: org.admin.email } });
    expect(result.status).toBe(400);
    expect(result.body.errors).toHaveProperty("Password");
  });
});

describe("POST /api/auth/access", () => {
  it("issues an access token with the caller's roles in the organization", async () => {
    const identity = await signIn(client, org.admin.email);
    const result = await client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(result.status).toBe(200);
    expect(claims(result.body.AccessToken)).toMatchObject({
      OrganizationId: org.organizationId,
      Roles: ["Admin"],
      UserId: org.admin.userId,
    });
  });

  it("answers 403 for an organization the caller does not belong to, and 401 without a token", async () => {
    const stranger = await kit.organization();
    const identity = await signIn(client, stranger.admin.email);
    const result = await client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(result.status).toBe(403);
    const unknown = await client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: "org_doesnotexist" },
    });
    expect(unknown.status).toBe(403);
    expect(unknown.body.detail).toBe(result.body.detail);
    const anonymous = await client.post("/api/auth/access", {
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(anonymous.status).toBe(401);
  });

  it("lets an admin act for no customer it is not associated with", async () => {
    const identity = await signIn(client, org.admin.email);
    const result = await client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: org.identityOrganizationId, CustomerNumber: "C-404" },
    });
    expect(result.status).toBe(403);
  });
});

describe("the same operations over GraphQL", () => {
  it("signIn and access answer what the REST routes answer", async () => {
    const signedIn = await client.graphql<{ signIn: { accessToken: string; tokenType: string; expiresIn: number } }>(
      `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { accessToken tokenType expiresIn } }`,
      { email: org.admin.email, password },
    );
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data!.signIn).toMatchObject({ tokenType: "Bearer", expiresIn: 3600 });
    const access = await client.graphql<{ access: { accessToken: string } }>(
      `mutation ($code: String!) { access(identityOrganizationId: $code) { accessToken } }`,
      { code: org.identityOrganizationId },
      signedIn.data!.signIn.accessToken,
    );
    expect(claims(access.data!.access.accessToken)).toMatchObject({
      OrganizationId: org.organizationId,
      Roles: ["Admin"],
    });

    const wrong = await client.graphql(
      `mutation { signIn(email: "nobody@example.com", password: "nope-nope") { accessToken } }`,
    );
    expect(wrong.codes).toEqual(["UNAUTHENTICATED"]);
    const rest = await client.post("/api/auth/sign-in", {
      body: { Email: "nobody@example.com", Password: "nope-nope" },
    });
    expect(wrong.errors![0]!.message).toBe(rest.body.detail);
  });
});

describe("token verification", () => {
  it("publishes the verifying key at /.well-known/jwks.json", async () => {
    const jwks = await client.get("/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(jwks.body.keys[0]).not.toHaveProperty("d");
    const { payload } = await jwtVerify(org.adminToken, createLocalJWKSet(jwks.body), { issuer, audience });
    expect(payload.OrganizationId).toBe(org.organizationId);
  });

  it("accepts a well-formed token signed with the configured key", async () => {
    expect((await client.get("/api/organization", { token: await forge({}) })).status).toBe(200);
  });

  it("refuses expired tokens and tokens for another issuer or audience with 401", async () => {
    const expired = await forge({}, { expiresIn: "-1m" });
    const result = await client.get("/api/organization", { token: expired });
    expect(result.status).toBe(401);
    expect(result.body.detail).toMatch(/expired/);
    expect((await client.get("/api/organization", { token: await forge({}, { aud: "someone-else" }) })).status).toBe(
      401,
    );
    expect((await client.get("/api/organization", { token: await forge({}, { iss: "urn:evil" }) })).status).toBe(401);
  });

  it("refuses a token that expires after it was accepted, with the expiry's reason", async () => {
    const shortLived = await forge({}, { expiresIn: "2s" });
    for (let i = 0; i < 3; i++) {
      expect((await client.get("/api/organization", { token: shortLived })).status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const late = await client.get("/api/organization", { token: shortLived });
    expect(late.status).toBe(401);
    expect(late.body.detail).toMatch(/expired/);
  });

  it("refuses unsigned and symmetric tokens", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const body = Buffer.from(JSON.stringify(claims(org.adminToken))).toString("base64url");
    expect((await client.get("/api/organization", { token: `${header}.${body}.` })).status).toBe(401);
    const hmac = await new SignJWT(claims(org.adminToken))
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("guess"));
    expect((await client.get("/api/organization", { token: hmac })).status).toBe(401);
  });

  it("refuses a scheme other than Bearer", async () => {
    const result = await client.get("/api/organization", { headers: { authorization: `Basic ${org.adminToken}` } });
    expect(result.status).toBe(401);
  });

  it("grants only roles the user still holds, whatever the token claims", async () => {
    const member = await forge({ Roles: ["Admin", "SalesRep"] });
    // Admin is still held, so the token works; SalesRep was never held, so it grants nothing.
    expect((await client.get("/api/organization", { token: member })).status).toBe(200);
    const claimsOnly = await forge({ Roles: ["SalesRep"] });
    expect((await client.get("/api/organization", { token: claimsOnly })).status).toBe(403);
  });
});

describe("external OpenID Connect identity tokens", () => {
  it("map to the user by e-mail on first use, then by subject", async () => {
    const first = await external({ sub: "ext-user-1", email: org.admin.email.toUpperCase() });
    const access = await client.post("/api/auth/access", {
      token: first,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(access.status).toBe(200);
    expect(claims(access.body.AccessToken)).toMatchObject({ UserId: org.admin.userId, Roles: ["Admin"] });

    const bySubject = await external({ sub: "ext-user-1" });
    const again = await client.post("/api/auth/access", {
      token: bySubject,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(again.status).toBe(200);
  });

  it("refuses an identity no user matches, a wrong audience, and use as an access token", async () => {
    const nobody = await external({ sub: "ext-nobody", email: "nobody-at-all@example.com" });
    expect(
      (
        await client.post("/api/auth/access", {
          token: nobody,
          body: { IdentityOrganizationId: org.identityOrganizationId },
        })
      ).status,
    ).toBe(401);
    const wrongAudience = await external({ sub: "ext-user-1" }, { aud: "other-client" });
    expect(
      (
        await client.post("/api/auth/access", {
          token: wrongAudience,
          body: { IdentityOrganizationId: org.identityOrganizationId },
        })
      ).status,
    ).toBe(401);
    const identity = await external({ sub: "ext-user-1" });
    expect((await client.get("/api/organization", { token: identity })).status).toBe(403);
  });
});

describe("service routes", () => {
  it("answers /healthz and /readyz", async () => {
    expect((await client.get("/healthz")).body).toEqual({ status: "ok" });
    const ready = await client.get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ database: "ok" });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const result = await client.get("/api/nothing-here");
    expect(result.status).toBe(404);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(result.body).toMatchObject({ status: 404, title: "Not Found" });
  });
});

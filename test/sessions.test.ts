import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims, password } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let other: Client;

beforeAll(async () => {
  kit = await testKit();
  // A second instance on the same database: revocation must hold there on the next request.
  const second = await kit.instance();
  client = kit.client;
  other = new Client(second.url);
});
afterAll(() => kit?.close());

/** One sign-in (identity token) and an access token enriched from it. */
async function session(org: Organization) {
  const identity = await kit.identityToken(org.admin.email);
  const access = await org.accessToken(identity);
  return { identity, access };
}

const profile = (token: string, via = client) => via.get("/api/users/organizations", { token });
const organization = (token: string, via = client) => via.get("/api/organization", { token });

describe("signing out", () => {
  it("names the session in every token of one sign-in", async () => {
    const org = await kit.organization();
    const { identity, access } = await session(org);
    expect(claims(identity).sid).toBe(claims(identity).jti);
    expect(claims(access).sid).toBe(claims(identity).sid);
  });

  it("POST /api/auth/sign-out ends that session's identity and access tokens at once, on every instance, and no other session", async () => {
    const org = await kit.organization();
    const ended = await session(org);
    const kept = await session(org);
    const result = await client.post("/api/auth/sign-out", { token: ended.access, body: {} });
    expect(result.status, result.text).toBe(200);
    expect(result.body).toEqual({ Success: true });
    for (const via of [client, other]) {
      const refused = await organization(ended.access, via);
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toBe("The bearer token's session has been signed out");
      expect((await profile(ended.identity, via)).status).toBe(401);
      expect(
        (
          await client.post("/api/auth/access", {
            token: ended.identity,
            body: { IdentityOrganizationId: org.identityOrganizationId },
          })
        ).status,
      ).toBe(401);
      expect((await organization(kept.access, via)).status).toBe(200);
      expect((await profile(kept.identity, via)).status).toBe(200);
    }
  });

  it("{ AllSessions: true } ends every session of the user, and a new sign-in works", async () => {
    const org = await kit.organization();
    const first = await session(org);
    const secondSession = await session(org);
    const result = await client.post("/api/auth/sign-out", { token: first.identity, body: { AllSessions: true } });
    expect(result.body).toEqual({ Success: true });
    for (const token of [first.identity, first.access, secondSession.identity, secondSession.access]) {
      expect((await profile(token, other)).status).toBe(401);
    }
    const fresh = await session(org);
    expect((await organization(fresh.access)).status).toBe(200);
  });

  it("GraphQL signOut and signOut(allSessions: true) do the same", async () => {
    const org = await kit.organization();
    const one = await session(org);
    const two = await session(org);
    const ended = await client.graphql(`mutation { signOut }`, {}, one.access);
    expect(ended.data).toEqual({ signOut: true });
    expect((await client.graphql(`{ organization { id } }`, {}, one.access)).codes).toEqual(["UNAUTHENTICATED"]);
    expect((await client.graphql(`{ organization { id } }`, {}, two.access)).data?.organization.id).toBe(
      org.organizationId,
    );
    const all = await client.graphql(`mutation { signOut(allSessions: true) }`, {}, two.identity);
    expect(all.data).toEqual({ signOut: true });
    expect((await client.graphql(`{ myOrganizations { id } }`, {}, two.access)).codes).toEqual(["UNAUTHENTICATED"]);
  });

  it("wants a user's token: none is 401, an API client's is 403", async () => {
    expect((await client.post("/api/auth/sign-out", { body: {} })).status).toBe(401);
    const org = await kit.organization();
    const created = await client.post("/api/organizations/api-clients", {
      token: org.adminToken,
      body: { Name: "erp", Roles: ["Admin"] },
    });
    const token = await client.post("/oauth/token", {
      rawBody: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: created.body.Id,
        client_secret: created.body.ClientSecret,
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const refused = await client.post("/api/auth/sign-out", { token: token.body.access_token, body: {} });
    expect(refused.status).toBe(403);
  });
});

describe("changing a password", () => {
  const newPassword = "Amber-Falcon-Orchard-77";

  it("POST /api/auth/password changes it, ends every earlier token on every instance, and answers a working one", async () => {
    const org = await kit.organization();
    const before = await session(org);
    const result = await client.post("/api/auth/password", {
      token: before.access,
      body: { CurrentPassword: password, NewPassword: newPassword },
    });
    expect(result.status, result.text).toBe(200);
    expect(result.body).toEqual({ AccessToken: expect.any(String), TokenType: "Bearer", ExpiresIn: 3600 });
    for (const token of [before.identity, before.access]) expect((await profile(token, other)).status).toBe(401);
    expect((await profile(result.body.AccessToken, other)).status).toBe(200);
    const old = await client.post("/api/auth/sign-in", { body: { Email: org.admin.email, Password: password } });
    expect(old.status).toBe(401);
    expect(await kit.identityToken(org.admin.email, newPassword)).toBeTruthy();
  });

  it("refuses a wrong current password and a guessable new one with 400, changing nothing", async () => {
    const org = await kit.organization();
    const { identity } = await session(org);
    const wrong = await client.post("/api/auth/password", {
      token: identity,
      body: { CurrentPassword: "not-the-password", NewPassword: newPassword },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual({ CurrentPassword: "is not the account's password" });
    const weak = await client.post("/api/auth/password", {
      token: identity,
      body: { CurrentPassword: password, NewPassword: "Password1" },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.NewPassword).toMatch(/^is too easy to guess/);
    expect((await profile(identity)).status).toBe(200);
    expect(await kit.identityToken(org.admin.email)).toBeTruthy();
  });

  it("counts wrong current passwords as failed sign-ins of the account", async () => {
    const org = await kit.organization();
    const { identity } = await session(org);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await client.graphql(
        `mutation { changePassword(currentPassword: "wrong-guess-${attempt}", newPassword: "${newPassword}") { accessToken } }`,
        {},
        identity,
      );
      expect(wrong.codes).toEqual(["BAD_USER_INPUT"]);
    }
    const locked = await client.graphql(
      `mutation { changePassword(currentPassword: "${password}", newPassword: "${newPassword}") { accessToken } }`,
      {},
      identity,
    );
    expect(locked.codes).toEqual(["TOO_MANY_REQUESTS"]);
  });

  it("GraphQL changePassword answers a new identity token and ends the old ones", async () => {
    const org = await kit.organization();
    const before = await session(org);
    const changed = await client.graphql(
      `mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) { accessToken tokenType } }`,
      { current: password, next: newPassword },
      before.identity,
    );
    expect(changed.data?.changePassword.tokenType).toBe("Bearer");
    expect((await client.graphql(`{ organization { id } }`, {}, before.access)).codes).toEqual(["UNAUTHENTICATED"]);
    expect((await profile(changed.data!.changePassword.accessToken)).status).toBe(200);
  });
});

import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordResets } from "../src/features/sessions/sessions.tables.js";
import type { Client, RequestOptions } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { accessToken, password, signIn, uniqueEmail } from "./support/seed.js";

let kit: TestKit;
let client: Client;

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { TRUST_PROXY: "true" } });
  client = kit.client;
});
afterAll(() => kit?.close());

const newPassword = "Amber-Falcon-Orchard-77";

/** A client address of its own per test, so the per-IP limit of one test leaves the others alone. */
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const from = (ip: string, options: RequestOptions = {}): RequestOptions => ({
  ...options,
  headers: { ...options.headers, "x-forwarded-for": ip },
});

const request = (email: string, ip = randomIp()) =>
  client.post("/api/auth/password-reset", from(ip, { body: { Email: email } }));
const confirm = (token: string, pass = newPassword) =>
  client.post("/api/auth/password-reset/confirm", from(randomIp(), { body: { Token: token, Password: pass } }));

async function graphql(ip: string, query: string, variables: Record<string, unknown> = {}) {
  const result = await client.post("/graphql", from(ip, { body: { query, variables } }));
  const errors = (result.body.errors ?? []) as { message: string; extensions: Record<string, unknown> }[];
  return { data: result.body.data, errors, codes: errors.map((e) => e.extensions.code) };
}

const resetMails = (address: string) =>
  kit.postmark.to(address).filter((mail) => mail.TextBody.includes("/reset-password?"));

/** The token of the `count`-th reset link mailed to `address` (members get a welcome mail too). */
async function resetToken(address: string, count = 1): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (resetMails(address).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const mail = resetMails(address)[count - 1];
  const link = mail && /\/reset-password\?token=([\w-]+)/.exec(mail.TextBody);
  if (!link) throw new Error(`no reset link number ${count} in the e-mail to ${address}`);
  return link[1]!;
}

const profile = (token: string) => client.get("/api/users/organizations", { token });

describe("POST /api/auth/password-reset and /confirm", () => {
  let org: Organization;
  beforeAll(async () => {
    org = await kit.organization();
  });

  it("mails a single-use link; confirming sets the password and ends every earlier token", async () => {
    const org = await kit.organization();
    const identity = await signIn(client, org.admin.email);
    const access = await accessToken(client, identity, org.identityOrganizationId);
    const asked = await request(org.admin.email);
    expect(asked.status, asked.text).toBe(202);
    expect(asked.text).toBe("");
    const mail = (await kit.postmark.waitFor(org.admin.email)).find((m) => m.Subject === "Reset your password")!;
    expect(mail.TextBody).toContain("The link works once, for 60 minutes.");
    const token = await resetToken(org.admin.email);

    const done = await confirm(token);
    expect(done.status, done.text).toBe(200);
    expect(done.body).toEqual({ Success: true });
    for (const old of [identity, access]) expect((await profile(old)).status).toBe(401);
    expect(
      (await client.post("/api/auth/sign-in", { body: { Email: org.admin.email, Password: password } })).status,
    ).toBe(401);
    expect(await signIn(client, org.admin.email, newPassword)).toBeTruthy();

    const again = await confirm(token, "Copper-Meadow-Lantern-58");
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual({ Token: "is invalid, already used or expired" });
  });

  it("answers an unknown address exactly as a known one, and mails nobody", async () => {
    const unknown = uniqueEmail("nobody");
    const member = await org.member();
    const known = await request(member.email);
    const missing = await request(unknown);
    expect(missing.status).toBe(known.status);
    expect(missing.text).toBe(known.text);
    await resetToken(member.email);
    expect(kit.postmark.to(unknown)).toEqual([]);
  });

  it("stores only the token's hash, and refuses an expired link with 400", async () => {
    const member = await org.member();
    await request(member.email);
    const token = await resetToken(member.email);
    const rows = await kit.server.database.db
      .select({ tokenHash: passwordResets.tokenHash })
      .from(passwordResets)
      .where(eq(passwordResets.userId, member.userId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    await kit.server.database.db
      .update(passwordResets)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(passwordResets.userId, member.userId));
    const expired = await confirm(token);
    expect(expired.status).toBe(400);
    expect(expired.body.errors).toEqual({ Token: "is invalid, already used or expired" });
    expect(await signIn(client, member.email)).toBeTruthy();
  });

  it("applies the password policy, and the link still works after a refused password", async () => {
    const member = await org.member();
    await request(member.email);
    const token = await resetToken(member.email);
    const weak = await confirm(token, "Password1");
    expect(weak.status).toBe(400);
    expect(weak.body.errors.Password).toMatch(/^is too easy to guess/);
    expect((await confirm(token)).status).toBe(200);
  });

  it("using one link ends the account's other outstanding links", async () => {
    const member = await org.member();
    await request(member.email);
    await request(member.email);
    const first = await resetToken(member.email, 1);
    const second = await resetToken(member.email, 2);
    expect((await confirm(second)).status).toBe(200);
    expect((await confirm(first)).status).toBe(400);
  });

  it("limits reset mails per address, known or unknown alike (429 with Retry-After)", async () => {
    const member = await org.member();
    for (const address of [member.email, uniqueEmail("nobody")]) {
      for (let i = 0; i < 3; i++) expect((await request(address)).status).toBe(202);
      const limited = await request(address);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    await resetToken(member.email, 3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(resetMails(member.email)).toHaveLength(3);
  });

  it("limits requests per client IP to 10 an hour", async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i++) expect((await request(uniqueEmail("spray"), ip)).status).toBe(202);
    const limited = await request(uniqueEmail("spray"), ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
  });

  it("refuses a missing e-mail and a missing token with 400", async () => {
    const noEmail = await client.post("/api/auth/password-reset", from(randomIp(), { body: {} }));
    expect(noEmail.status).toBe(400);
    const noToken = await client.post(
      "/api/auth/password-reset/confirm",
      from(randomIp(), { body: { Password: newPassword } }),
    );
    expect(noToken.status).toBe(400);
  });

  it("serves the page the link opens", async () => {
    const page = await client.get("/reset-password", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("/assets/reset-password.js");
  });
});

describe("GraphQL requestPasswordReset and resetPassword", () => {
  it("do the same: true for any address, the mailed token sets the password once", async () => {
    const org = await kit.organization();
    const before = await signIn(client, org.admin.email);
    const ip = randomIp();
    const unknown = await graphql(
      ip,
      `
        mutation ($e: String!) {
          requestPasswordReset(email: $e)
        }
      `,
      {
        e: uniqueEmail("nobody"),
      },
    );
    expect(unknown.data).toEqual({ requestPasswordReset: true });
    const known = await graphql(
      ip,
      `
        mutation ($e: String!) {
          requestPasswordReset(email: $e)
        }
      `,
      { e: org.admin.email },
    );
    expect(known.data).toEqual({ requestPasswordReset: true });
    const token = await resetToken(org.admin.email);
    const reset = `mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }`;
    expect((await graphql(ip, reset, { t: token, p: newPassword })).data).toEqual({ resetPassword: true });
    expect((await profile(before)).status).toBe(401);
    const used = await graphql(ip, reset, { t: token, p: newPassword });
    expect(used.codes).toEqual(["BAD_USER_INPUT"]);
    expect(await signIn(client, org.admin.email, newPassword)).toBeTruthy();
  });

  it("a reset lifts the sign-in lockout of the account", async () => {
    const org = await kit.organization();
    for (let i = 0; i < 5; i++) {
      await client.post("/api/auth/sign-in", { body: { Email: org.admin.email, Password: `wrong-${i}` } });
    }
    const locked = await client.post("/api/auth/sign-in", { body: { Email: org.admin.email, Password: password } });
    expect(locked.status).toBe(429);
    await request(org.admin.email);
    const token = await resetToken(org.admin.email);
    expect((await confirm(token)).status).toBe(200);
    expect(await signIn(client, org.admin.email, newPassword)).toBeTruthy();
  });
});

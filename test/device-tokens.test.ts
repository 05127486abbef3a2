import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import { password, uniqueEmail } from "./support/seed.js";

let kit: TestKit;
let client: Client;

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { TRUST_PROXY: "true" } });
  client = kit.client;
});
afterAll(() => kit?.close());

/** Each sign-in from an address of its own: the per-IP limit is rate-limits.test.ts's, not this file's. */
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const signIn = (email: string, pass: string, deviceToken?: string) =>
  client.post("/api/auth/sign-in", {
    body: { Email: email, Password: pass, DeviceToken: deviceToken },
    headers: { "x-forwarded-for": randomIp() },
  });

/** An attacker's five wrong passwords for the address: it is locked for clients without a device token. */
async function lockOut(email: string) {
  for (let i = 0; i < 5; i++) expect((await signIn(email, `wrong-guess-${i}`)).status).toBe(401);
  expect((await signIn(email, password)).status).toBe(429);
}

const lockoutMails = (address: string) =>
  kit.postmark.to(address).filter((mail) => mail.Subject === "Sign-in to your account was locked");

describe("device tokens and the sign-in lockout", () => {
  it("a sign-in answers a DeviceToken over REST and deviceToken over GraphQL, a new one each time", async () => {
    const org = await kit.organization();
    const rest = await signIn(org.admin.email, password);
    expect(rest.body.DeviceToken).toMatch(/^gwdt_/);
    const gql = await client.graphql(
      `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken deviceToken } }`,
      { e: org.admin.email, p: password },
    );
    expect(gql.data?.signIn.deviceToken).toMatch(/^gwdt_/);
    expect(gql.data?.signIn.deviceToken).not.toBe(rest.body.DeviceToken);
  });

  it("the owner's client with its DeviceToken signs in while the address is locked; others stay locked", async () => {
    const org = await kit.organization();
    const device = (await signIn(org.admin.email, password)).body.DeviceToken as string;
    await lockOut(org.admin.email);
    const owner = await signIn(org.admin.email, password, device);
    expect(owner.status, owner.text).toBe(200);
    expect(owner.body.AccessToken).toBeTruthy();
    const stranger = await signIn(org.admin.email, password);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get("retry-after"))).toBeGreaterThan(0);
    const gql = await client.graphql(
      `mutation($e: String!, $p: String!, $d: String) { signIn(email: $e, password: $p, deviceToken: $d) { deviceToken } }`,
      { e: org.admin.email, p: password, d: device },
    );
    expect(gql.data?.signIn.deviceToken).toMatch(/^gwdt_/);
  });

  it("a device token of another account, or an unknown one, counts against the address", async () => {
    const org = await kit.organization();
    const member = await org.member();
    const othersDevice = (await signIn(org.admin.email, password)).body.DeviceToken as string;
    await lockOut(member.email);
    expect((await signIn(member.email, password, othersDevice)).status).toBe(429);
    expect((await signIn(member.email, password, "gwdt_made-up")).status).toBe(429);
  });

  it("failures with a device token are counted on their own: five lock that client, not the address", async () => {
    const org = await kit.organization();
    const device = (await signIn(org.admin.email, password)).body.DeviceToken as string;
    for (let i = 0; i < 5; i++) expect((await signIn(org.admin.email, `wrong-${i}`, device)).status).toBe(401);
    expect((await signIn(org.admin.email, password, device)).status).toBe(429);
    expect((await signIn(org.admin.email, password)).status).toBe(200);
  });

  it("a lockout e-mails the owner once per window, with a reset link that works", async () => {
    const org = await kit.organization();
    await lockOut(org.admin.email);
    for (let i = 0; i < 3; i++) expect((await signIn(org.admin.email, password)).status).toBe(429);
    const deadline = Date.now() + 10_000;
    while (lockoutMails(org.admin.email).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const mails = lockoutMails(org.admin.email);
    expect(mails).toHaveLength(1);
    const token = /\/reset-password\?token=([\w-]+)/.exec(mails[0]!.TextBody)![1]!;
    const reset = await client.post("/api/auth/password-reset/confirm", {
      body: { Token: token, Password: "Amber-Falcon-Orchard-77" },
    });
    expect(reset.status).toBe(200);
    expect((await signIn(org.admin.email, "Amber-Falcon-Orchard-77")).status).toBe(200);
  });

  it("locking an unknown address mails nobody", async () => {
    const nobody = uniqueEmail("nobody");
    await lockOut(nobody);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(kit.postmark.to(nobody)).toEqual([]);
  });
});

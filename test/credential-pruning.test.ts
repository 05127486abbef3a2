import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaveLinks } from "../src/features/memberships/memberships.tables.js";
import { deviceTokens, passwordResets, revokedSessions } from "../src/features/sessions/sessions.tables.js";
import type { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import { password, uniqueEmail } from "./support/seed.js";

/**
 * The sign-in tables keep a row per sign-out, reset request, sign-in and membership e-mail; the
 * credential pruners remove the rows past their lifetime, and only those.
 */

let kit: TestKit;
let client: Client;

beforeAll(async () => {
  kit = await testKit({ mail: true });
  client = kit.client;
});
afterAll(() => kit?.close());

/** A person of its own organization, signed in and out once, with a reset link and leave links. */
async function personWithCredentials() {
  const home = await kit.organization();
  const email = uniqueEmail("pruned");
  const created = await client.post("/api/users", {
    token: home.adminToken,
    body: { FirstName: "Pru", LastName: "Ned", Email: email, Password: password },
  });
  expect(created.status).toBe(200);
  const userId = created.body.Id as string;
  const signedIn = await client.post("/api/auth/sign-in", { body: { Email: email, Password: password } });
  expect(signedIn.status).toBe(200);
  const signedOut = await client.post("/api/auth/sign-out", { token: signedIn.body.AccessToken });
  expect(signedOut.status).toBeLessThan(300);
  expect((await client.post("/api/auth/password-reset", { body: { Email: email } })).status).toBeLessThan(300);
  const other = await kit.organization();
  await client.post("/api/organizations/users/admins", { token: other.adminToken, body: { Email: email } });
  await kit.postmark.waitFor(email, 3);
  return { userId };
}

async function rowsOf(userId: string) {
  const { db } = kit.server.database;
  const count = async (
    table: typeof revokedSessions | typeof passwordResets | typeof deviceTokens | typeof leaveLinks,
  ) =>
    (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(table)
        .where(eq(table.userId, userId))
    )[0]!.n;
  return {
    revokedSessions: await count(revokedSessions),
    passwordResets: await count(passwordResets),
    deviceTokens: await count(deviceTokens),
    leaveLinks: await count(leaveLinks),
  };
}

describe("credential pruning", () => {
  it("deletes revoked sessions, reset links, device tokens and leave links past their lifetime, and nothing else", async () => {
    const expired = await personWithCredentials();
    const current = await personWithCredentials();
    // A leave link per membership e-mail: the home organization's and the other one's.
    const kept = { revokedSessions: 1, passwordResets: 1, deviceTokens: 1, leaveLinks: 2 };
    expect(await rowsOf(expired.userId)).toEqual(kept);

    const { db } = kit.server.database;
    const past = sql`now() - interval '1 second'`;
    await db.update(revokedSessions).set({ expiresAt: past }).where(eq(revokedSessions.userId, expired.userId));
    await db.update(passwordResets).set({ expiresAt: past }).where(eq(passwordResets.userId, expired.userId));
    await db.update(deviceTokens).set({ expiresAt: past }).where(eq(deviceTokens.userId, expired.userId));
    await db.update(leaveLinks).set({ expiresAt: past }).where(eq(leaveLinks.userId, expired.userId));

    for (const pruner of kit.server.credentialPruners) await pruner.pruneOnce();
    expect(await rowsOf(expired.userId)).toEqual({
      revokedSessions: 0,
      passwordResets: 0,
      deviceTokens: 0,
      leaveLinks: 0,
    });
    expect(await rowsOf(current.userId)).toEqual(kept);
  });
});

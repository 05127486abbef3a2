import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";

/** Item 4 of the account-security issue: one organization cannot bomb one address with mail. */

let kit: TestKit;

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { MAIL_RECIPIENT_HOURLY_LIMIT: "2", MAIL_RECIPIENT_DAILY_LIMIT: "3" } });
});
afterAll(() => kit?.close());

const rowsTo = (org: Organization, address: string) =>
  kit.server.database.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.organizationId, org.organizationId), eq(mailOutbox.toAddress, address)))
    .orderBy(desc(mailOutbox.createdAt));

/** One round of the attack in the issue: make the victim an admin (a welcome mail) and demote it. */
async function round(org: Organization, victim: { email: string; userId: string }, over: "rest" | "graphql") {
  if (over === "rest") {
    const assigned = await kit.client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: victim.email },
    });
    expect(assigned.status).toBe(200);
  } else {
    const assigned = await kit.client.graphql(
      `mutation ($e: String!) { assignOrganizationAdmin(email: $e) { id } }`,
      { e: victim.email },
      org.adminToken,
    );
    expect(assigned.errors).toBeUndefined();
  }
  const removed = await kit.client.delete("/api/organizations/users/admins", {
    token: org.adminToken,
    body: { UserId: victim.userId },
  });
  expect(removed.status).toBe(200);
}

describe("MAIL_RECIPIENT_HOURLY_LIMIT and MAIL_RECIPIENT_DAILY_LIMIT", () => {
  it("keep an organization's mail to one address beyond the hourly cap as suppressed, never sent", async () => {
    const attacker = await kit.organization();
    const victim = (await kit.organization()).admin;
    await round(attacker, victim, "rest");
    await round(attacker, victim, "graphql");
    await round(attacker, victim, "rest");
    await round(attacker, victim, "graphql");
    const rows = await rowsTo(attacker, victim.email);
    expect(rows.map((row) => row.status === "suppressed").sort()).toEqual([false, false, true, true]);
    for (const row of rows.filter((r) => r.status === "suppressed")) {
      expect(row.lastError).toBe("the organization reached its hourly limit of 2 for this address");
    }
    // The victim got two welcomes; another organization still reaches it.
    await kit.postmark.waitFor(victim.email, 2);
    const other = await kit.organization();
    await round(other, victim, "rest");
    await kit.postmark.waitFor(victim.email, 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.postmark.to(victim.email)).toHaveLength(3);
  });

  it("count the day as well as the hour", async () => {
    const attacker = await kit.organization();
    const victim = (await kit.organization()).admin;
    await round(attacker, victim, "rest");
    await round(attacker, victim, "rest");
    // Two hours pass: the hour is free again, the day is not.
    await kit.server.database.db
      .update(mailOutbox)
      .set({ createdAt: sql`now() - interval '2 hours'` })
      .where(and(eq(mailOutbox.organizationId, attacker.organizationId), eq(mailOutbox.toAddress, victim.email)));
    await round(attacker, victim, "graphql");
    await round(attacker, victim, "rest");
    const [latest, third] = await rowsTo(attacker, victim.email);
    expect(third!.status).not.toBe("suppressed");
    expect(latest).toMatchObject({
      status: "suppressed",
      lastError: "the organization reached its daily limit of 3 for this address",
    });
  });
});

import { eq, inArray, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import { MailWorker } from "../src/mail/worker.js";
import { postmarkTransport } from "../src/mail/postmark-transport.js";
import { enqueueMail } from "../src/mail/outbox.js";
import { eventually } from "./support/eventually.js";
import type { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import type { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { unique, uniqueEmail } from "./support/seed.js";
import { openTestDatabase, startServerWithMail, type TestServer } from "./support/server.js";

let kit: TestKit;
let postmark: PostmarkStandIn;
let server: TestServer;
let client: Client;
let token: string;

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { MAIL_FROM: "accounts@example.com" } });
  server = kit.server;
  postmark = kit.postmark;
  token = server.config.POSTMARK_SERVER_TOKEN!;
  client = kit.client;
});
afterAll(() => kit?.close());

async function outboxFor(address: string) {
  return server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, address));
}

/** The address's one outbox row, once the worker has put it in the state `accept` wants. */
async function rowFor(address: string, accept: (row: typeof mailOutbox.$inferSelect | undefined) => boolean) {
  return eventually(async () => (await outboxFor(address))[0], accept);
}

describe("the welcome e-mail when a user is made admin", () => {
  it("reaches the new admin through Postmark with the organization's name", async () => {
    const org = await kit.organization();
    const other = await kit.organization();
    const result = await client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: other.admin.email },
    });
    expect(result.status).toBe(200);

    const [mail] = await postmark.waitFor(other.admin.email);
    expect(mail).toMatchObject({ From: "accounts@example.com", To: other.admin.email, token, Tag: "admin-welcome" });
    expect(mail!.Subject).toContain(org.name);
    expect(mail!.TextBody).toContain(org.name);
    // The stand-in has it before the worker records the send.
    const row = await rowFor(other.admin.email, (found) => found?.status === "sent");
    expect(row).toMatchObject({ status: "sent", providerMessageId: expect.stringMatching(/^stand-in-/) });
  });

  it("is not sent twice when the user is already an admin", async () => {
    const org = await kit.organization();
    const other = await kit.organization();
    await client.post("/api/organizations/users/admins", { token: org.adminToken, body: { Email: other.admin.email } });
    await postmark.waitFor(other.admin.email);
    const again = await client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: other.admin.email },
    });
    expect(again.status).toBe(200);
    expect(await outboxFor(other.admin.email)).toHaveLength(1);
  });
});

describe("an e-mail outage", () => {
  it("never fails the request, and the message goes out once Postmark recovers", async () => {
    const org = await kit.organization();
    const other = await kit.organization();
    postmark.failing = true;
    try {
      const result = await client.post("/api/organizations/users/admins", {
        token: org.adminToken,
        body: { Email: other.admin.email },
      });
      expect(result.status).toBe(200);
      // Wait until the worker has recorded a refused attempt, so recovery is really tested.
      const pending = await rowFor(other.admin.email, (found) => Boolean(found?.lastError));
      // Usually the stand-in's 503; a reused keep-alive socket can fail first, which is an outage too.
      expect(pending).toMatchObject({ status: "pending", lastError: expect.any(String) });
      expect(postmark.to(other.admin.email)).toHaveLength(0);
    } finally {
      postmark.failing = false;
    }
    const [mail] = await postmark.waitFor(other.admin.email, 1, 15_000);
    expect(mail!.To).toBe(other.admin.email);
    const row = await rowFor(other.admin.email, (found) => found?.status === "sent");
    expect(row?.status).toBe("sent");
    expect(row!.attempts).toBeGreaterThan(1);
  });
});

describe("several workers on one database", () => {
  it("never send a message twice", async () => {
    const addresses = Array.from({ length: 30 }, () => uniqueEmail("fanout"));
    for (const to of addresses) {
      await enqueueMail(
        server.database.db,
        { to, template: "test", subject: unique("s"), text: "t", html: "<p>t</p>" },
        { hourly: 1, daily: 1 },
      );
    }
    const transport = postmarkTransport({
      serverToken: token,
      apiUrl: server.config.POSTMARK_API_URL,
      from: "a@example.com",
    });
    const workers = Array.from(
      { length: 3 },
      () =>
        new MailWorker(server.database.db, {
          transport,
          pollIntervalMs: 10,
          maxAttempts: 3,
          retryBaseMs: 10,
          batchSize: 4,
          requeueLoggedHours: server.config.MAIL_REQUEUE_LOGGED_HOURS,
          retentionDays: server.config.MAIL_RETENTION_DAYS,
          leaseSeconds: server.config.OUTBOX_LEASE_SECONDS,
          log: server.app.log,
        }),
    );
    await Promise.all(workers.map((worker) => worker.runOnce().then(() => worker.runOnce())));
    await Promise.all(addresses.map((to) => postmark.waitFor(to)));
    for (const to of addresses) expect(postmark.to(to)).toHaveLength(1);
  });
});

describe("without a Postmark token", () => {
  it("logs the message and keeps it in the outbox instead of sending it", async () => {
    const quiet = await testKit({ env: { POSTMARK_SERVER_TOKEN: undefined } });
    try {
      const quietClient = quiet.client;
      const org = await quiet.organization();
      const other = await quiet.organization();
      const sentBefore = postmark.received.length;
      expect(
        (
          await quietClient.post("/api/organizations/users/admins", {
            token: org.adminToken,
            body: { Email: other.admin.email },
          })
        ).status,
      ).toBe(200);
      const row = await eventually(
        async () =>
          (
            await quiet.server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, other.admin.email))
          )[0],
        (found) => found?.status === "logged",
      );
      expect(row).toMatchObject({ status: "logged", template: "admin-welcome" });
      expect(postmark.received.length).toBe(sentBefore);
    } finally {
      await quiet.close();
    }
  });
});

/** An outbox row written straight to the database, `ageHours` old, in `status`. */
async function insertMail(
  db: typeof server.database.db,
  status: "sent" | "failed" | "logged" | "pending",
  ageHours: number,
): Promise<string> {
  const to = uniqueEmail(status);
  const at = sql`now() - make_interval(hours => ${ageHours})`;
  await db.insert(mailOutbox).values({
    id: unique("mail"),
    template: "test",
    toAddress: to,
    subject: unique("s"),
    textBody: "t",
    htmlBody: "<p>t</p>",
    status,
    createdAt: at,
    sentAt: status === "sent" ? at : null,
  });
  return to;
}

describe("e-mail logged while no transport was configured", () => {
  it("is sent once a transport is configured, when younger than MAIL_REQUEUE_LOGGED_HOURS", async () => {
    const database = await openTestDatabase();
    try {
      const quiet = await testKit({ database, env: { POSTMARK_SERVER_TOKEN: undefined } });
      const quietClient = quiet.client;
      const org = await quiet.organization();
      const other = await quiet.organization();
      await quietClient.post("/api/organizations/users/admins", {
        token: org.adminToken,
        body: { Email: other.admin.email },
      });
      const outbox = () => database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, other.admin.email));
      await eventually(
        async () => (await outbox())[0],
        (found) => found?.status === "logged",
      );
      await quiet.close();
      const stale = await insertMail(database.db, "logged", 30);

      const mailing = await startServerWithMail({ database, env: { MAIL_REQUEUE_LOGGED_HOURS: "24" } });
      try {
        const [mail] = await mailing.postmark.waitFor(other.admin.email);
        expect(mail).toMatchObject({ To: other.admin.email, Tag: "admin-welcome" });
        const row = await eventually(
          async () => (await outbox())[0],
          (found) => found?.status === "sent",
        );
        expect(row).toMatchObject({ status: "sent", attempts: 1 });
        const [kept] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, stale));
        expect(kept?.status).toBe("logged");
        expect(mailing.postmark.to(stale)).toHaveLength(0);
      } finally {
        await mailing.close();
      }
    } finally {
      await database.close();
    }
  });

  it("is counted in a log line when too old to send", async () => {
    // A database of its own: no running worker sends the re-queued row before it is read.
    const database = await openTestDatabase();
    const recent = await insertMail(database.db, "logged", 1);
    const stale = await insertMail(database.db, "logged", 100);
    const lines: { level: string; data: Record<string, unknown>; message?: string }[] = [];
    const record = (level: string) => (data: Record<string, unknown>, message?: string) =>
      lines.push({ level, data, message });
    const log = { info: record("info"), warn: record("warn"), error: record("error") } as unknown as FastifyBaseLogger;
    const worker = new MailWorker(database.db, {
      transport: { send: async () => ({}), findAccepted: async () => null },
      pollIntervalMs: 10,
      maxAttempts: 3,
      retryBaseMs: 10,
      requeueLoggedHours: 48,
      retentionDays: 30,
      leaseSeconds: 10,
      log,
    });
    await worker.requeueLogged();

    const rows = await database.db
      .select({ to: mailOutbox.toAddress, status: mailOutbox.status })
      .from(mailOutbox)
      .where(inArray(mailOutbox.toAddress, [recent, stale]));
    await database.close();
    expect(Object.fromEntries(rows.map((row) => [row.to, row.status]))).toEqual({
      [recent]: "pending",
      [stale]: "logged",
    });
    const warning = lines.find((line) => line.level === "warn");
    expect(warning?.data.leftLogged).toBe(1);
    expect(warning?.message).toMatch(/older than 48 hours stay unsent/);
  });
});

describe("sent e-mail past MAIL_RETENTION_DAYS", () => {
  it("is pruned by the worker in bounded batches; younger, failed and logged rows stay", async () => {
    const deletes: string[] = [];
    const database = await openTestDatabase({
      logQuery: (query) => {
        if (/^delete from "mail_outbox"/i.test(query)) deletes.push(query);
      },
    });
    try {
      const expired = await Promise.all(Array.from({ length: 5 }, () => insertMail(database.db, "sent", 24 * 8)));
      const kept = await Promise.all([
        insertMail(database.db, "sent", 24 * 6),
        insertMail(database.db, "failed", 24 * 8),
        insertMail(database.db, "logged", 24 * 8),
      ]);
      const remaining = async () =>
        (
          await database.db
            .select({ to: mailOutbox.toAddress })
            .from(mailOutbox)
            .where(inArray(mailOutbox.toAddress, [...expired, ...kept]))
        ).map((row) => row.to);

      const mailing = await startServerWithMail({ database, env: { MAIL_RETENTION_DAYS: "7" } });
      try {
        const left = await eventually(remaining, (found) => found.length === kept.length);
        expect(left.sort()).toEqual([...kept].sort());
      } finally {
        await mailing.close();
      }

      const more = await Promise.all(Array.from({ length: 5 }, () => insertMail(database.db, "sent", 24 * 8)));
      const worker = new MailWorker(database.db, {
        pollIntervalMs: 10,
        maxAttempts: 3,
        retryBaseMs: 10,
        requeueLoggedHours: 0,
        retentionDays: 7,
        pruneBatchSize: 2,
        leaseSeconds: 10,
        log: server.app.log,
      });
      deletes.length = 0;
      expect(await worker.pruneSent()).toBe(more.length);
      // 2 + 2 + 1: each statement deletes at most pruneBatchSize rows.
      expect(deletes).toHaveLength(3);
      expect((await remaining()).sort()).toEqual([...kept].sort());
    } finally {
      await database.close();
    }
  });
});

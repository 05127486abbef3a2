import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../src/db/client.js";
import { webhookDeliveries } from "../src/features/webhooks/webhooks.tables.js";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { listening, startProcess, stopProcess, type Running } from "./support/process.js";
import { Seeding, testKit } from "./support/kit.js";
import { unique, type SeededOrganization } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * What the outbox workers guarantee when things break between a post and its record: e-mail is
 * not sent again when Postmark already has it, a slow post keeps its lease, and a lost outcome
 * write is tried again instead of the post.
 */

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Makes `other`'s admin an admin of `org` too: the change that queues one welcome e-mail to them. */
const makeAdmin = (client: Client, org: SeededOrganization, other: SeededOrganization) =>
  client.post("/api/organizations/users/admins", { token: org.adminToken, body: { Email: other.admin.email } });

/**
 * Refuses the first `times` updates of `table` that set `column` to `value`, as a database that
 * drops between a post and its record would. A sequence counts them: it is not rolled back with
 * the refused statement.
 */
async function refuseWrites(db: DatabaseHandle["db"], table: string, column: string, value: string, times: number) {
  const name = `refuse_${randomBytes(4).toString("hex")}`;
  await db.execute(sql.raw(`create sequence ${name}`));
  await db.execute(
    sql.raw(`create function ${name}() returns trigger language plpgsql as $$
      begin
        if new.${column} = '${value}' and nextval('${name}') <= ${times} then
          raise exception 'refused by the test';
        end if;
        return new;
      end $$`),
  );
  await db.execute(sql.raw(`create trigger ${name} before update on ${table} for each row execute function ${name}()`));
  return {
    /** How many matching writes were tried (refused or not). */
    async tried(): Promise<number> {
      const result = await db.execute(sql.raw(`select last_value, is_called from ${name}`));
      const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        last_value: string | number;
        is_called: boolean;
      }[];
      return row!.is_called ? Number(row!.last_value) : 0;
    },
  };
}

describe("an e-mail whose send could not be recorded", () => {
  it("is recorded by trying the write again, not by sending again", { timeout: 60_000 }, async () => {
    const kit = await testKit({ mail: true });
    closers.push(() => kit.close());
    const server = kit.server;
    const client = kit.client;
    const org = await kit.organization();
    const other = await kit.organization();
    const refusals = await refuseWrites(server.database.db, "mail_outbox", "status", "sent", 3);

    expect((await makeAdmin(client, org, other)).status).toBe(200);
    const row = await eventually(
      async () =>
        (await server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, other.admin.email)))[0],
      (found) => found?.status === "sent",
      20_000,
    );
    const [mail] = kit.postmark.to(other.admin.email);
    expect(row).toMatchObject({ status: "sent", attempts: 1, providerMessageId: mail!.MessageID });
    expect(mail!.Metadata).toEqual({ outbox_id: row!.id });
    expect(kit.postmark.to(other.admin.email)).toHaveLength(1);
    // Three refused writes, then the one that stuck.
    expect(await refusals.tried()).toBe(4);
  });
});

/** A database the entry point opens by itself, and the test can read once the process is gone. */
async function processDatabase(): Promise<{ env: Record<string, string>; open(): Promise<DatabaseHandle> }> {
  if (!process.env.DATABASE_URL) {
    const dataDir = mkdtempSync(join(tmpdir(), "gateway-delivery-"));
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    return { env: { DATA_DIR: dataDir }, open: () => openDatabase({ dataDir }) };
  }
  const admin = new URL(process.env.DATABASE_URL);
  admin.pathname = "/postgres";
  const name = `gateway_delivery_${randomBytes(4).toString("hex")}`;
  const sqlAdmin = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
  await sqlAdmin`create database ${sqlAdmin(name)}`;
  await sqlAdmin.end();
  closers.push(async () => {
    const dropper = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
    await dropper`drop database if exists ${dropper(name)} with (force)`;
    await dropper.end();
  });
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, open: () => openDatabase({ url: url.toString(), dataDir: "" }) };
}

describe("an instance killed after Postmark accepted an e-mail and before it recorded the send", () => {
  // Two cold starts of the entry point: slow on a busy machine.
  it(
    "leaves the e-mail to the next instance, which finds it at Postmark and does not send it again",
    { timeout: 240_000 },
    async () => {
      const postmark = new PostmarkStandIn();
      const database = await processDatabase();
      const env = {
        ...database.env,
        POSTMARK_SERVER_TOKEN: "stand-in-server-token",
        POSTMARK_API_URL: await postmark.start(),
        MAIL_POLL_INTERVAL_MS: "50",
        OUTBOX_LEASE_SECONDS: "2",
      };
      closers.push(() => postmark.stop());
      const children: Running[] = [];
      closers.push(async () => {
        for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGKILL");
      });
      const start = () => {
        const running = startProcess(env);
        children.push(running);
        return listening(running);
      };

      const first = await start();
      const client = new Client(first.url);
      const seeding = new Seeding(client);
      const org = await seeding.organization();
      const other = await seeding.organization();
      postmark.onAccepted = async (mail) => {
        if (mail.To !== other.admin.email) return;
        // Postmark has the message; the instance never hears back.
        first.child.kill("SIGKILL");
        await first.exit;
      };
      expect((await makeAdmin(client, org, other)).status).toBe(200);
      await first.exit;
      postmark.onAccepted = undefined;
      const [accepted] = postmark.to(other.admin.email);
      const outboxId = accepted!.Metadata!.outbox_id!;

      const second = await start();
      await eventually(
        async () => postmark.searches.filter((query) => query.get("metadata_outbox_id") === outboxId).length,
        (searches) => searches > 0,
        30_000,
      );
      // Long enough for a send after the search to have arrived.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await stopProcess(second)).toBe(0);

      expect(postmark.to(other.admin.email)).toHaveLength(1);
      const inspect = await database.open();
      try {
        const [row] = await inspect.db.select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
        expect(row).toMatchObject({ status: "sent", attempts: 2, providerMessageId: accepted!.MessageID });
      } finally {
        await inspect.close();
      }
    },
  );
});

describe("a send slower than the lease", () => {
  it(
    "keeps its lease by heartbeat: a second instance neither takes the e-mail over nor asks about it",
    { timeout: 60_000 },
    async () => {
      const env = { OUTBOX_LEASE_SECONDS: "2" };
      const kit = await testKit({ mail: true, env });
      closers.push(() => kit.close());
      const server = kit.server;
      const postmark = kit.postmark;
      const second = await startServer({
        database: server.database,
        env: {
          ...env,
          POSTMARK_SERVER_TOKEN: server.config.POSTMARK_SERVER_TOKEN,
          POSTMARK_API_URL: server.config.POSTMARK_API_URL,
        },
      });
      closers.push(() => second.close());
      const client = kit.client;
      const org = await kit.organization();
      const other = await kit.organization();
      postmark.onAccepted = async (mail) => {
        if (mail.To === other.admin.email) await new Promise((resolve) => setTimeout(resolve, 5000));
      };

      expect((await makeAdmin(client, org, other)).status).toBe(200);
      const row = await eventually(
        async () =>
          (await server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, other.admin.email)))[0],
        (found) => found?.status === "sent",
        20_000,
      );
      expect(row).toMatchObject({ status: "sent", attempts: 1 });
      expect(postmark.to(other.admin.email)).toHaveLength(1);
      expect(postmark.searches).toEqual([]);
    },
  );
});

describe("webhooks", () => {
  const webhookEnv = {
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    WEBHOOK_ALLOW_HTTP: "true",
    WEBHOOK_POLL_INTERVAL_MS: "50",
    WEBHOOK_RETRY_BASE_MS: "100",
    OUTBOX_LEASE_SECONDS: "2",
  };
  const receiver = new WebhookReceiver();
  let receiverUrl: string;
  afterAll(() => receiver.stop());

  async function subscribe(client: Client, org: SeededOrganization) {
    receiverUrl ??= await receiver.start();
    const result = await client.post("/api/organizations/webhooks", {
      token: org.adminToken,
      body: { Url: receiverUrl, EventTypes: ["price_tier.created"] },
    });
    expect(result.status, result.text).toBe(201);
    receiver.secret = result.body.Secret;
  }

  const createTier = (client: Client, org: SeededOrganization) =>
    client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: unique("Tier"), CurrencyCode: "USD" },
    });

  async function deliveryOf(server: TestServer, org: SeededOrganization) {
    return eventually(
      async () =>
        (
          await server.database.db
            .select()
            .from(webhookDeliveries)
            .where(eq(webhookDeliveries.organizationId, org.organizationId))
        )[0],
      (found) => found?.status === "delivered",
      20_000,
    );
  }

  it(
    "a post slower than the lease is posted once, though a second instance polls the outbox",
    { timeout: 60_000 },
    async () => {
      const kit = await testKit({ env: webhookEnv });
      closers.push(() => kit.close());
      const server = kit.server;
      const second = await startServer({ database: server.database, env: webhookEnv });
      closers.push(() => second.close());
      const client = kit.client;
      const org = await kit.organization();
      await subscribe(client, org);
      receiver.delayMs = 5000;
      try {
        expect((await createTier(client, org)).status).toBe(200);
        const delivery = await deliveryOf(server, org);
        expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
        expect(receiver.received.filter((post) => post.id === delivery!.messageId)).toHaveLength(1);
      } finally {
        receiver.delayMs = 0;
      }
    },
  );

  it("an outcome the database refused is written again, not posted again", { timeout: 60_000 }, async () => {
    const kit = await testKit({ env: webhookEnv });
    closers.push(() => kit.close());
    const server = kit.server;
    const client = kit.client;
    const org = await kit.organization();
    await subscribe(client, org);
    const refusals = await refuseWrites(server.database.db, "webhook_deliveries", "status", "delivered", 2);

    expect((await createTier(client, org)).status).toBe(200);
    const delivery = await deliveryOf(server, org);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    expect(receiver.received.filter((post) => post.id === delivery!.messageId)).toHaveLength(1);
    expect(await refusals.tried()).toBe(3);
  });
});

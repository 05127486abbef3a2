import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../src/db/client.js";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { OwnPostgres } from "./support/own-postgres.js";
import { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { Seeding, type Organization } from "./support/kit.js";
import { unique } from "./support/seed.js";
import { startServer, startServerWithMail, type TestServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * The outbox workers sleep until they are woken: an enqueue NOTIFYs in its transaction, the worker
 * LISTENs. The safety polls here are ten minutes, so whatever arrives sooner came by a wake-up.
 */
const safetyPollMs = "600000";
const workerEnv = {
  MAIL_POLL_INTERVAL_MS: safetyPollMs,
  WEBHOOK_POLL_INTERVAL_MS: safetyPollMs,
  WEBHOOK_ALLOW_PRIVATE_URLS: "true",
  WEBHOOK_ALLOW_HTTP: "true",
  WEBHOOK_RETRY_BASE_MS: "100",
};

/** An e-mail to `to`: the welcome mail of a user made admin of `org`. */
async function welcomeMail(client: Client, org: Organization, to: Organization) {
  const result = await client.post("/api/organizations/users/admins", {
    token: org.adminToken,
    body: { Email: to.admin.email },
  });
  expect(result.status, result.text).toBe(200);
}

async function registerEndpoint(client: Client, org: Organization, receiver: WebhookReceiver, url: string) {
  const endpoint = await client.post("/api/organizations/webhooks", {
    token: org.adminToken,
    body: { Url: url, EventTypes: ["price_tier.created"] },
  });
  expect(endpoint.status, endpoint.text).toBe(201);
  receiver.secret = endpoint.body.Secret;
}

/** Waits (at most 5 s) for `to`'s welcome mail; answers whether it came. */
async function welcomed(postmark: PostmarkStandIn, to: Organization): Promise<boolean> {
  const mails = await eventually(
    async () => postmark.to(to.admin.email).filter((mail) => mail.Tag === "admin-welcome"),
    (found) => found.length > 0,
    5000,
  );
  return mails.length > 0;
}

const createTier = (client: Client, org: Organization) =>
  client.post("/api/organizations/price-tiers", {
    token: org.adminToken,
    body: { Name: unique("Tier"), CurrencyCode: "USD" },
  });

describe("outbox workers on the test database", () => {
  let server: Awaited<ReturnType<typeof startServerWithMail>>;
  let client: Client;
  let receiver: WebhookReceiver;
  let receiverUrl: string;
  let outboxStatements = 0;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    receiverUrl = await receiver.start();
    server = await startServerWithMail({
      env: workerEnv,
      queryLogger: {
        logQuery: (query) => {
          if (/"(mail_outbox|webhook_deliveries)"/.test(query)) outboxStatements++;
        },
      },
    });
    client = new Client(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.stop();
  });

  it("send no statement while nothing is queued", { timeout: 30_000 }, async () => {
    // The first drain at start-up (and the pruning before it) has run by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = outboxStatements;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(outboxStatements - before).toBe(0);
  });

  it("deliver an e-mail at once, woken by its enqueue", { timeout: 30_000 }, async () => {
    const org = await new Seeding(client).organization();
    const other = await new Seeding(client).organization();
    const started = Date.now();
    await welcomeMail(client, org, other);
    expect(await welcomed(server.postmark, other)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("post a webhook at once, and its retry when the back-off is over", { timeout: 30_000 }, async () => {
    const org = await new Seeding(client).organization();
    await registerEndpoint(client, org, receiver, receiverUrl);
    // The first attempt fails: nobody notifies for the retry, the worker wakes when it is due.
    receiver.script = [500];
    const started = Date.now();
    expect((await createTier(client, org)).status).toBe(200);
    const received = await eventually(
      async () => receiver.received.filter((hook) => hook.verified),
      (hooks) => hooks.length >= 2,
      5000,
    );
    expect(received.map((hook) => hook.status)).toEqual([500, 200]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

const cluster = await OwnPostgres.started();
if (typeof cluster === "string") console.log(`outbox-wake-ups.test.ts: PostgreSQL restart skipped (${cluster})`);

describe.skipIf(typeof cluster === "string")("outbox wake-ups through a PostgreSQL restart", () => {
  const own = cluster as OwnPostgres;
  const postmark = new PostmarkStandIn();
  let database: DatabaseHandle;
  let server: TestServer;
  let client: Client;

  beforeAll(async () => {
    database = await openDatabase({ url: own.url, dataDir: "", poolSize: 5 });
    await database.migrate();
    const postmarkUrl = await postmark.start();
    server = await startServer({
      database,
      env: {
        ...workerEnv,
        DATABASE_URL: own.url,
        POSTMARK_SERVER_TOKEN: "stand-in-server-token",
        POSTMARK_API_URL: postmarkUrl,
      },
    });
    client = new Client(server.url);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
    await postmark.stop();
    own.destroy();
  });

  it("listen again once the server is back, so mail still goes out at once", { timeout: 90_000 }, async () => {
    const org = await new Seeding(client).organization();
    const [before, after] = [await new Seeding(client).organization(), await new Seeding(client).organization()];
    await welcomeMail(client, org, before);
    expect(await welcomed(postmark, before)).toBe(true);

    await own.restart(1000);
    const back = await eventually(
      () => client.get("/readyz"),
      (result) => result.status === 200,
      15_000,
    );
    expect(back.status).toBe(200);
    // Time for the listener's own reconnection; mail queued before it would still go out when it
    // listens again (that wakes the worker too), so only mail queued after it proves the LISTEN.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const started = Date.now();
    await welcomeMail(client, org, after);
    expect(await welcomed(postmark, after)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

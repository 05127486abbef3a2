import "reflect-metadata";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/features/audit/audit.tables.js";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { Seeding, testKit, type TestKit } from "./support/kit.js";
import { unique, type SeededOrganization } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";
import { verifyWebhook, WebhookReceiver } from "./support/webhook-receiver.js";

const path = "/api/organizations/webhooks";

let kit: TestKit;
let server: TestServer;
let client: Client;
let receiver: WebhookReceiver;
let receiverUrl: string;

beforeAll(async () => {
  kit = await testKit({
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      WEBHOOK_ALLOW_HTTP: "true",
      WEBHOOK_POLL_INTERVAL_MS: "50",
      WEBHOOK_RETRY_BASE_MS: "100",
      WEBHOOK_MAX_ATTEMPTS: "3",
      WEBHOOK_DISABLE_AFTER_FAILURES: "2",
    },
  });
  server = kit.server;
  client = kit.client;
  receiver = new WebhookReceiver();
  receiverUrl = await receiver.start();
});
afterAll(async () => {
  await kit?.close();
  await receiver?.stop();
});

async function register(org: SeededOrganization, eventTypes: string[], url = receiverUrl) {
  const result = await client.post(path, { token: org.adminToken, body: { Url: url, EventTypes: eventTypes } });
  expect(result.status, result.text).toBe(201);
  return result.body as { Id: string; Url: string; EventTypes: string[]; Enabled: boolean; Secret: string };
}

const createTier = (org: SeededOrganization) =>
  client.post("/api/organizations/price-tiers", {
    token: org.adminToken,
    body: { Name: unique("Tier"), CurrencyCode: "USD" },
  });

async function deliveries(org: SeededOrganization, endpointId: string) {
  const result = await client.get(`${path}/${endpointId}/deliveries`, { token: org.adminToken });
  expect(result.status, result.text).toBe(200);
  return result.body.Data as {
    Id: string;
    MessageId: string;
    Status: string;
    Attempts: number;
    AttemptLog: { StatusCode: number | null; DurationMs: number; ResponseBody: string | null }[];
  }[];
}

describe("registering an endpoint", () => {
  it("answers the whsec_ secret once and never again, nor in the audit trail", async () => {
    const org = await kit.organization();
    const endpoint = await register(org, ["price_tier.created"]);
    expect(endpoint.Secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(endpoint.Secret.slice(6), "base64")).toHaveLength(24);
    const listed = await client.get(path, { token: org.adminToken });
    expect(listed.body).toEqual([
      { Id: endpoint.Id, Url: receiverUrl, EventTypes: ["price_tier.created"], Enabled: true, DisabledReason: null },
    ]);
    expect(listed.text).not.toContain("whsec_");
    const trail = JSON.stringify(
      await server.database.db.select().from(auditEvents).where(eq(auditEvents.organizationId, org.organizationId)),
    );
    expect(trail).toContain("createWebhookEndpoint");
    expect(trail).not.toContain("whsec_");
  });

  it("refuses unknown event types and non-http URLs with 400", async () => {
    const org = await kit.organization();
    const result = await client.post(path, {
      token: org.adminToken,
      body: { Url: "ftp://example.com/hook", EventTypes: ["nope"] },
    });
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.errors).sort()).toEqual(["EventTypes[0]", "Url"]);
  });

  it("refuses private, loopback and link-local URLs without WEBHOOK_ALLOW_PRIVATE_URLS", async () => {
    const strict = await startServer({ database: server.database, mailWorker: false });
    try {
      const strictClient = new Client(strict.url);
      const org = await new Seeding(strictClient).organization();
      for (const url of [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://[::7f00:1]/hook",
        "https://[::ffff:0:7f00:1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[64:ff9b::7f00:1]/hook",
        "https://198.18.0.1/hook",
        "https://240.0.0.1/hook",
        "https://224.0.0.1/hook",
        "https://192.0.0.1/hook",
        "https://255.255.255.255/hook",
        "https://0x7f.1/hook",
      ]) {
        const result = await strictClient.post(path, {
          token: org.adminToken,
          body: { Url: url, EventTypes: ["user.added"] },
        });
        expect(result.status, url).toBe(400);
        expect(result.body.errors.Url, url).toMatch(/private|resolve/);
      }
      const http = await strictClient.post(path, {
        token: org.adminToken,
        body: { Url: "http://example.com/hook", EventTypes: ["user.added"] },
      });
      expect(http.body.errors.Url).toBe("must be an https URL");
    } finally {
      await strict.close();
    }
  });

  it("keeps endpoints within their organization and from non-admins", async () => {
    const acme = await kit.organization();
    const other = await kit.organization();
    const endpoint = await register(acme, ["user.added"]);
    expect((await client.get(path, { token: other.adminToken })).body).toEqual([]);
    const patched = await client.patch(`${path}/${endpoint.Id}`, { token: other.adminToken, body: { Enabled: false } });
    expect(patched.status).toBe(404);
    expect((await client.delete(`${path}/${endpoint.Id}`, { token: other.adminToken })).status).toBe(404);
    expect((await client.get(`${path}/${endpoint.Id}/deliveries`, { token: other.adminToken })).body.Data).toEqual([]);
    const { token: customer } = await acme.customerUser();
    expect((await client.get(path, { token: customer })).status).toBe(403);
    const result = await client.graphql(`{ webhookEndpoints { id } }`, {}, customer);
    expect(result.codes).toEqual(["FORBIDDEN"]);
    expect((await client.get(path, { token: acme.adminToken })).body).toHaveLength(1);
  });
});

describe("delivery", () => {
  it("posts a signed event that the documented receiver verifies, and a tampered one fails", async () => {
    const org = await kit.organization();
    const endpoint = await register(org, ["price_tier.created"]);
    receiver.secret = endpoint.Secret;
    const before = receiver.received.length;
    expect((await createTier(org)).status).toBe(200);
    const [delivery] = await eventually(
      () => deliveries(org, endpoint.Id),
      (rows) => rows[0]?.Status === "delivered",
    );
    expect(delivery).toMatchObject({ Status: "delivered", Attempts: 1 });
    const got = receiver.received.slice(before).find((entry) => entry.id === delivery!.MessageId)!;
    expect(got.verified).toBe(true);
    const payload = JSON.parse(got.body);
    expect(payload).toMatchObject({
      type: "price_tier.created",
      data: { organizationId: org.organizationId, currencyCode: "USD" },
    });
    const headers = { "webhook-id": got.id, "webhook-timestamp": String(got.timestamp) };
    const key = endpoint.Secret;
    const good = (await import("node:crypto"))
      .createHmac("sha256", Buffer.from(key.slice(6), "base64"))
      .update(`${got.id}.${got.timestamp}.${got.body}`)
      .digest("base64");
    expect(verifyWebhook(key, { ...headers, "webhook-signature": `v1,${good}` }, got.body)).toBe(true);
    expect(verifyWebhook(key, { ...headers, "webhook-signature": `v1,${good}` }, got.body.replace("USD", "EUR"))).toBe(
      false,
    );
    const flipped = Buffer.from(good, "base64");
    flipped[0] = flipped[0]! ^ 1;
    expect(verifyWebhook(key, { ...headers, "webhook-signature": `v1,${flipped.toString("base64")}` }, got.body)).toBe(
      false,
    );
    expect(verifyWebhook(key, { ...headers, "webhook-signature": `v1,${good}` }, got.body, got.timestamp + 301)).toBe(
      false,
    );
  });

  it("sends only subscribed types to enabled endpoints", async () => {
    const org = await kit.organization();
    const endpoint = await register(org, ["customer.upserted"]);
    expect((await createTier(org)).status).toBe(200);
    expect(await deliveries(org, endpoint.Id)).toEqual([]);
  });

  it("retries after 500s with back-off, then succeeds, recording each attempt; replay sends it again", async () => {
    const org = await kit.organization();
    const endpoint = await register(org, ["price_tier.created"]);
    receiver.secret = endpoint.Secret;
    receiver.script = [500, 500];
    expect((await createTier(org)).status).toBe(200);
    const [delivery] = await eventually(
      () => deliveries(org, endpoint.Id),
      (rows) => rows[0]?.Status === "delivered",
    );
    expect(delivery!.Attempts).toBe(3);
    expect(delivery!.AttemptLog.map((attempt) => attempt.StatusCode)).toEqual([500, 500, 200]);
    expect(delivery!.AttemptLog[0]!.ResponseBody).toBe("status 500");

    const replayed = await client.post(`${path}/deliveries/${delivery!.Id}/replay`, { token: org.adminToken });
    expect(replayed.body).toEqual({ Success: true });
    const [again] = await eventually(
      () => deliveries(org, endpoint.Id),
      (rows) => rows[0]?.AttemptLog.length === 4 && rows[0]?.Status === "delivered",
    );
    expect(again!.AttemptLog.at(-1)!.StatusCode).toBe(200);
    expect(receiver.received.filter((entry) => entry.id === delivery!.MessageId)).toHaveLength(4);
  });

  it("answers over GraphQL what replay and delete changed: the delivery queued again, the endpoint removed", async () => {
    const org = await kit.organization();
    const endpoint = await register(org, ["price_tier.created"]);
    receiver.secret = endpoint.Secret;
    receiver.script = [];
    expect((await createTier(org)).status).toBe(200);
    const [delivery] = await eventually(
      () => deliveries(org, endpoint.Id),
      (rows) => rows[0]?.Status === "delivered",
    );

    const replayed = await client.graphql(
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id messageId status attempts attemptLog { statusCode } } }`,
      { id: delivery!.Id },
      org.adminToken,
    );
    expect(replayed.errors).toBeUndefined();
    expect(replayed.data.replayWebhookDelivery).toEqual({
      id: delivery!.Id,
      messageId: delivery!.MessageId,
      status: "pending",
      attempts: 0,
      attemptLog: [{ statusCode: 200 }],
    });
    await eventually(
      () => deliveries(org, endpoint.Id),
      (rows) => rows[0]?.AttemptLog.length === 2 && rows[0]?.Status === "delivered",
    );

    const deleted = await client.graphql(
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deletedWebhookEndpointId endpoint { id url eventTypes } } }`,
      { id: endpoint.Id },
      org.adminToken,
    );
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data.deleteWebhookEndpoint).toEqual({
      deletedWebhookEndpointId: endpoint.Id,
      endpoint: { id: endpoint.Id, url: receiverUrl, eventTypes: ["price_tier.created"] },
    });
    expect((await client.get(path, { token: org.adminToken })).body).toEqual([]);
    const again = await client.graphql(
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deletedWebhookEndpointId } }`,
      { id: endpoint.Id },
      org.adminToken,
    );
    expect(again.codes).toEqual(["NOT_FOUND"]);
  });

  it("disables an endpoint after repeated failure and e-mails the admins", async () => {
    const org = await kit.organization();
    const endpoint = await register(org, ["price_tier.created"]);
    receiver.secret = endpoint.Secret;
    receiver.script = Array(6).fill(503);
    expect((await createTier(org)).status).toBe(200);
    expect((await createTier(org)).status).toBe(200);
    const listed = await eventually(
      async () => (await client.get(path, { token: org.adminToken })).body,
      (rows) => rows[0]?.Enabled === false,
    );
    expect(listed[0]).toMatchObject({ Enabled: false, DisabledReason: expect.stringContaining("2 deliveries") });
    const mail = await server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, org.admin.email));
    expect(mail.map((row) => row.template)).toContain("webhook-endpoint-disabled");
    // Disabled: new events are not queued for it.
    expect((await createTier(org)).status).toBe(200);
    expect(await deliveries(org, endpoint.Id)).toHaveLength(2);
  });
});

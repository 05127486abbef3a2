import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./support/eventually.js";
import type { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import { unique } from "./support/seed.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * DNS rebinding: a name that answers a public address to every check and 127.0.0.1 to the socket,
 * the worst timing an attacker flipping the record every few milliseconds can hope for. The
 * resolver is the test's own (the app's resolveHost seam); the public address is never dialled,
 * since the socket's look-up always gets the loopback one.
 */
const rebindingHost = "rebinding.test";
const publicAddress = "93.184.215.14";
const lookups = { checks: 0, sockets: 0 };

const loopbackHost = "loopback.test";

async function rebindingResolver(hostname: string): Promise<string[]> {
  if (hostname === loopbackHost) return ["::ffff:127.0.0.1", "127.0.0.1"];
  if (hostname !== rebindingHost) throw Object.assign(new Error(`no such host ${hostname}`), { code: "ENOTFOUND" });
  // node:net calls the socket's lookup from lookupAndConnect; everything else is a check.
  if (new Error().stack?.includes("lookupAndConnect")) {
    lookups.sockets += 1;
    return ["127.0.0.1"];
  }
  lookups.checks += 1;
  return [publicAddress];
}

let kit: TestKit;
let client: Client;
let receiver: WebhookReceiver;
let port: string;

beforeAll(async () => {
  kit = await testKit({
    env: {
      WEBHOOK_ALLOW_HTTP: "true",
      WEBHOOK_POLL_INTERVAL_MS: "50",
      WEBHOOK_RETRY_BASE_MS: "50",
      WEBHOOK_MAX_ATTEMPTS: "3",
    },
    resolveHost: rebindingResolver,
  });
  client = kit.client;
  receiver = new WebhookReceiver();
  port = new URL(await receiver.start()).port;
});
afterAll(async () => {
  await kit?.close();
  await receiver?.stop();
});

describe("a webhook host that rebinds to loopback between the check and the connection", () => {
  it("never reaches the loopback listener, on the first attempt, the retries or a replay", async () => {
    const org = await kit.organization();
    const created = await client.post("/api/organizations/webhooks", {
      token: org.adminToken,
      body: { Url: `http://${rebindingHost}:${port}/hook`, EventTypes: ["price_tier.created"] },
    });
    expect(created.status, created.text).toBe(201);
    receiver.secret = created.body.Secret;
    const tier = await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: unique("Tier"), CurrencyCode: "USD" },
    });
    expect(tier.status, tier.text).toBe(200);

    const readDelivery = async () => {
      const listed = await client.get(`/api/organizations/webhooks/${created.body.Id}/deliveries`, {
        token: org.adminToken,
      });
      return listed.body.Data[0];
    };
    const failed = await eventually(readDelivery, (delivery) => delivery?.Status === "failed");
    expect(failed.Status).toBe("failed");
    expect(failed.AttemptLog).toHaveLength(3);
    for (const attempt of failed.AttemptLog) {
      expect(attempt.StatusCode).toBeNull();
      expect(attempt.ResponseBody).toBeNull();
      expect(attempt.Error).toMatch(/resolves only to refused addresses/);
    }

    const replayed = await client.post(`/api/organizations/webhooks/deliveries/${failed.Id}/replay`, {
      token: org.adminToken,
    });
    expect(replayed.body).toEqual({ Success: true });
    const replayedDelivery = await eventually(readDelivery, (delivery) => delivery?.AttemptLog.length === 6);
    expect(replayedDelivery.AttemptLog).toHaveLength(6);

    expect(lookups.checks).toBeGreaterThanOrEqual(7);
    expect(lookups.sockets).toBeGreaterThanOrEqual(6);
    expect(receiver.received).toEqual([]);
  });

  it("refuses the URL at registration when the name answers loopback to the check", async () => {
    const org = await kit.organization();
    const result = await client.post("/api/organizations/webhooks", {
      token: org.adminToken,
      body: { Url: `http://${loopbackHost}:${port}/hook`, EventTypes: ["price_tier.created"] },
    });
    expect(result.status).toBe(400);
    expect(result.body.errors.Url).toMatch(/must not point at a private, loopback/);
  });
});

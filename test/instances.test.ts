import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { Seeding } from "./support/kit.js";
import { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { startedProcess, stopProcess, type Running } from "./support/process.js";
import { uniqueEmail } from "./support/seed.js";

/**
 * Four instances of the real entry point started at once on one empty PostgreSQL database, as a
 * deployment rolls out: all must migrate (one at a time), share one signing key, one rate-limit
 * store and one outbox.
 */
const serverUrl = new URL(process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
serverUrl.pathname = "/postgres";

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const postgresUp = await reachable(serverUrl.toString());
if (!postgresUp) console.log(`instances.test.ts skipped: no PostgreSQL at ${serverUrl.host}`);
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!postgresUp)("four instances on one empty PostgreSQL database", { timeout: 240_000 }, () => {
  const database = `gateway_instances_${randomBytes(4).toString("hex")}`;
  const prefix = `rl-instances-${randomBytes(4).toString("hex")}:`;
  const postmark = new PostmarkStandIn();
  let instances: (Running & { url: string })[] = [];
  let clients: Client[] = [];

  beforeAll(async () => {
    const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => undefined });
    await admin`create database ${admin(database)}`;
    await admin.end();
    const databaseUrl = new URL(serverUrl);
    databaseUrl.pathname = `/${database}`;
    const env = {
      DATABASE_URL: databaseUrl.toString(),
      POSTMARK_SERVER_TOKEN: "stand-in-server-token",
      POSTMARK_API_URL: await postmark.start(),
      MAIL_POLL_INTERVAL_MS: "50",
      MAIL_RETRY_BASE_MS: "100",
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } : {}),
    };
    const starting = Array.from({ length: 4 }, () => startedProcess(env));
    const settled = await Promise.allSettled(starting);
    instances = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const failures = settled.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
    expect(failures, "every instance becomes ready").toEqual([]);
    clients = instances.map((instance) => new Client(instance.url));
  }, 240_000);

  afterAll(async () => {
    const codes = await Promise.all(instances.map((instance) => stopProcess(instance)));
    await postmark.stop();
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => undefined });
    await admin`drop database if exists ${admin(database)} with (force)`;
    await admin.end();
    expect(codes).toEqual(instances.map(() => 0));
  }, 60_000);

  it("all become ready and publish one signing key", async () => {
    for (const client of clients) expect((await client.get("/readyz")).status).toBe(200);
    const keys = await Promise.all(clients.map(async (client) => (await client.get("/.well-known/jwks.json")).text));
    expect(new Set(keys).size).toBe(1);
  });

  it("a token issued by one instance works on every other", async () => {
    const org = await new Seeding(clients[0]!).organization();
    for (const client of clients.slice(1)) {
      const result = await client.get("/api/organization", { token: org.adminToken });
      expect(result.status).toBe(200);
      expect(result.body.Organization.Name).toBe(org.name);
    }
  });

  it.skipIf(!redisUrl)("count one rate limit together through Redis", async () => {
    // GET /api/users/exists: 10 a minute per client IP, spread over the four instances.
    for (let call = 0; call < 10; call++) {
      const result = await clients[call % 4]!.get("/api/users/exists", { query: { Email: uniqueEmail() } });
      expect(result.status, `call ${call + 1}`).toBe(200);
    }
    for (const client of clients) {
      expect((await client.get("/api/users/exists", { query: { Email: uniqueEmail() } })).status).toBe(429);
    }
  });

  it("send each e-mail once, whichever instance's worker takes it", async () => {
    const org = await new Seeding(clients[1]!).organization();
    const addresses = Array.from({ length: 12 }, () => uniqueEmail("invitee"));
    await Promise.all(
      addresses.map(async (email, index) => {
        const created = await clients[index % 4]!.post("/api/users", {
          token: org.adminToken,
          body: { FirstName: "In", LastName: "Vitee", Email: email },
        });
        expect(created.status).toBe(200);
      }),
    );
    await eventually(
      async () => addresses.filter((email) => postmark.to(email).length > 0).length,
      (delivered) => delivered === addresses.length,
      20_000,
    );
    // Every worker has polled many times since: a duplicate would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const email of addresses) expect(postmark.to(email), email).toHaveLength(1);
  });
});

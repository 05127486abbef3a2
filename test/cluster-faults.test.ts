import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.js";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { Seeding } from "./support/kit.js";
import { freePort, OwnPostgres } from "./support/own-postgres.js";
import { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { listening, startProcess, stopProcess, type Running } from "./support/process.js";
import { password, uniqueEmail, type SeededOrganization } from "./support/seed.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * Three gateway processes on one PostgreSQL of the test's own, with Redis, the Postmark stand-in
 * and a webhook receiver, under concurrent reads and writes. During the load PostgreSQL restarts
 * (`pg_ctl -m fast`), one instance is killed (SIGKILL) and another drained (SIGTERM, default
 * settings). The clients act as a balancer would: a refused connection (nothing was sent) goes to
 * the next instance; anything else is the answer the client got.
 */

const cluster = await OwnPostgres.started();
if (typeof cluster === "string") console.log(`cluster-faults.test.ts skipped (${cluster})`);
const redisServer = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((path) => existsSync(path));

/** The database waits the instances run with; every request must end within their sum and a margin. */
const timeouts = { connect: 2000, acquire: 2000, statement: 4000 };
const requestBoundMs = timeouts.acquire + timeouts.statement + 1000 + 3000;

interface Outcome {
  instance: number;
  kind: "read" | "write";
  startedAt: number;
  ms: number;
  status?: number;
  retryAfter?: string | null;
  error?: string;
  email?: string;
}

function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === "ECONNREFUSED";
}

describe.skipIf(typeof cluster === "string")("a cluster through a database restart, a kill and a drain", () => {
  const own = cluster as OwnPostgres;
  const postmark = new PostmarkStandIn();
  const receiver = new WebhookReceiver();
  let redis: ChildProcess | undefined;
  const instances: (Running & { url: string })[] = [];
  let org: SeededOrganization;

  beforeAll(async () => {
    const [postmarkUrl, receiverUrl] = await Promise.all([postmark.start(), receiver.start()]);
    let redisUrl = "";
    if (redisServer) {
      const port = await freePort();
      redis = spawn(redisServer, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
      redisUrl = `redis://127.0.0.1:${port}`;
    }
    const database = await openDatabase({ url: own.url, dataDir: "", poolSize: 1 });
    await database.migrate();
    await database.close();
    const env = {
      DATABASE_URL: own.url,
      REDIS_URL: redisUrl,
      POSTMARK_SERVER_TOKEN: "stand-in-server-token",
      POSTMARK_API_URL: postmarkUrl,
      WEBHOOK_ALLOW_HTTP: "true",
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      MAIL_POLL_INTERVAL_MS: "200",
      WEBHOOK_POLL_INTERVAL_MS: "200",
      SIGN_UP_RATE_LIMIT: "100000",
      DATABASE_CONNECT_TIMEOUT_MS: String(timeouts.connect),
      DATABASE_ACQUIRE_TIMEOUT_MS: String(timeouts.acquire),
      DATABASE_STATEMENT_TIMEOUT_MS: String(timeouts.statement),
    };
    instances.push(...(await Promise.all([0, 1, 2].map(() => listening(startProcess(env))))));
    const client = new Client(instances[0]!.url);
    org = await new Seeding(client).organization();
    const endpoint = await client.post("/api/organizations/webhooks", {
      token: org.adminToken,
      body: { Url: `${receiverUrl}/hooks`, EventTypes: ["user.added"], Enabled: true },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    receiver.secret = endpoint.body.Secret;
  }, 180_000);

  afterAll(async () => {
    for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill("SIGKILL");
    redis?.kill("SIGKILL");
    await Promise.all([postmark.stop(), receiver.stop()]);
    own.destroy();
  });

  it(
    "no survivor exits, acknowledged writes are all there once, no request outlives its bound, the drain loses nothing",
    { timeout: 180_000 },
    async () => {
      const [survivor, drained, killed] = instances as [
        Running & { url: string },
        Running & { url: string },
        Running & { url: string },
      ];
      const outcomes: Outcome[] = [];
      const down = new Set<number>();
      let stopping = false;
      let next = 0;
      const t0 = Date.now();

      const send = async (kind: "read" | "write") => {
        const email = kind === "write" ? uniqueEmail("load") : undefined;
        for (let attempt = 0; attempt < instances.length; attempt++) {
          const candidates = [0, 1, 2].filter((index) => !down.has(index));
          if (candidates.length === 0) {
            // Every instance is gone: what a balancer answers then, and a pause before the next try.
            outcomes.push({
              instance: -1,
              kind,
              startedAt: Date.now(),
              ms: 0,
              error: "no instance accepts connections",
            });
            await new Promise((resolve) => setTimeout(resolve, 100));
            return;
          }
          const instance = candidates[next++ % candidates.length]!;
          const startedAt = Date.now();
          try {
            const response = await fetch(
              `${instances[instance]!.url}${kind === "write" ? "/api/users" : "/api/organization"}`,
              {
                method: kind === "write" ? "POST" : "GET",
                headers: {
                  authorization: `Bearer ${org.adminToken}`,
                  ...(kind === "write" ? { "content-type": "application/json" } : {}),
                },
                body:
                  kind === "write"
                    ? JSON.stringify({ FirstName: "Load", LastName: "Test", Email: email, Password: password })
                    : undefined,
                signal: AbortSignal.timeout(requestBoundMs),
              },
            );
            await response.text();
            outcomes.push({
              instance,
              kind,
              startedAt,
              ms: Date.now() - startedAt,
              status: response.status,
              retryAfter: response.headers.get("retry-after"),
              email,
            });
            return;
          } catch (error) {
            if (refused(error)) {
              // Nothing was sent: a balancer takes it to the next instance.
              down.add(instance);
              continue;
            }
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            outcomes.push({
              instance,
              kind,
              startedAt,
              ms: Date.now() - startedAt,
              error: `${(error as Error).name}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
              email,
            });
            return;
          }
        }
      };
      const clients = Array.from({ length: 8 }, async (_, index) => {
        let turn = index;
        while (!stopping) await send(turn++ % 2 === 0 ? "write" : "read");
      });

      const survivorClient = new Client(survivor.url);
      // An instance that died answers nothing: not ready, and the assertions below say why.
      const ready = () => survivorClient.get("/readyz").catch(() => ({ status: 0 }));
      let restartedAt: number | undefined;
      let drainStartedAt = Infinity;
      let drainedExit: number | null | undefined;
      try {
        // Load first: some writes acknowledged before anything fails, however slow the machine.
        const acknowledgedBefore = () => outcomes.filter((o) => o.kind === "write" && o.status === 200).length;
        await eventually(
          async () => acknowledgedBefore(),
          (count) => count >= 5,
          15_000,
        );
        await own.restart(1000);
        restartedAt = Date.now() - t0;
        await eventually(ready, (result) => result.status === 200, 20_000);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        killed.child.kill("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, 1000));
        drainStartedAt = Date.now();
        drainedExit = await stopProcess(drained);
        await new Promise((resolve) => setTimeout(resolve, 1500));
      } finally {
        stopping = true;
        await Promise.all(clients);
      }
      await killed.exit;

      const summary = {
        requests: outcomes.length,
        restartedAtMs: restartedAt,
        byStatus: outcomes.reduce<Record<string, number>>((counts, outcome) => {
          const key = outcome.error ?? String(outcome.status);
          counts[key] = (counts[key] ?? 0) + 1;
          return counts;
        }, {}),
        writesAcknowledged: outcomes.filter((outcome) => outcome.kind === "write" && outcome.status === 200).length,
        slowestMs: Math.max(...outcomes.map((outcome) => outcome.ms)),
      };
      console.log(`cluster-faults: ${JSON.stringify(summary)}`);

      // The survivor lived through the restart and recovered by itself; the drained one exited 0.
      expect(survivor.child.exitCode, survivor.output().slice(-2000)).toBeNull();
      expect((await ready()).status).toBe(200);
      expect(drainedExit, drained.output().slice(-2000)).toBe(0);
      expect(drained.output()).not.toMatch(/Cannot read properties of null|uncaught/i);

      // Every answer is a success or a 503 with Retry-After: no 500, nothing past the bound.
      const answered = outcomes.filter((outcome) => outcome.status !== undefined);
      expect(answered.filter((outcome) => outcome.status !== 200 && outcome.status !== 503)).toEqual([]);
      expect(answered.filter((outcome) => outcome.status === 503 && !outcome.retryAfter)).toEqual([]);
      const hung = outcomes.filter((outcome) => outcome.ms >= requestBoundMs);
      const logsOf = (outcome: Outcome) => instances[outcome.instance]?.output().slice(-4000) ?? "";
      expect(hung, hung.map(logsOf).join("\n---\n")).toEqual([]);

      // Requests are lost (reset, no answer) only on the instance that was killed.
      expect(outcomes.filter((outcome) => outcome.error && outcome.instance !== 2)).toEqual([]);
      // The drained instance answered everything sent to it from SIGTERM on, and successfully.
      const duringDrain = outcomes.filter((outcome) => outcome.instance === 1 && outcome.startedAt >= drainStartedAt);
      expect(duringDrain.filter((outcome) => outcome.status !== 200)).toEqual([]);

      // Every acknowledged write is there, once.
      const acknowledged = outcomes.filter((outcome) => outcome.kind === "write" && outcome.status === 200);
      expect(acknowledged.length).toBeGreaterThanOrEqual(5);
      const sql = postgres(own.url, { max: 1, onnotice: () => undefined });
      try {
        const emails = acknowledged.map((outcome) => outcome.email!.toLowerCase());
        const rows = await sql<{ email: string; count: number }[]>`
          select lower(u.email) as email, count(*)::int as count
          from users u join organization_users m on m.user_id = u.id
          where lower(u.email) = any(${emails}) group by 1`;
        expect(rows.length).toBe(emails.length);
        expect(rows.filter((row) => row.count !== 1)).toEqual([]);
      } finally {
        await sql.end();
      }
      // E-mail and webhooks flowed during the load (their exactly-once story is the outbox's).
      expect(postmark.received.length).toBeGreaterThan(0);
      expect(receiver.received.length).toBeGreaterThan(0);
    },
  );
});

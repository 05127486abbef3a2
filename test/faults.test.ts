import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../src/db/client.js";
import { eventually } from "./support/eventually.js";
import { freePort, OwnPostgres } from "./support/own-postgres.js";
import { Client, type HttpResult } from "./support/http.js";
import { Seeding } from "./support/kit.js";
import type { SeededOrganization } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

/** What a client sees of a failure must say nothing about the failure. */
function expectOpaque(result: HttpResult) {
  expect(result.text).not.toMatch(/ECONNREFUSED|ECONNRESET|postgres|redis|\bat .+:\d+:\d+|stack|select /i);
}

/** Log lines as JSON objects, written by the server under test. */
function logCollector() {
  const lines: { msg?: string; level?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream, count: (pattern: RegExp) => lines.filter((line) => pattern.test(line.msg ?? "")).length };
}

// ─── PostgreSQL stopped and started under a running server ─────────────────────────────────────

const cluster = await OwnPostgres.started();
if (typeof cluster === "string") console.log(`faults.test.ts: PostgreSQL outage skipped (${cluster})`);

describe.skipIf(typeof cluster === "string")("PostgreSQL stopped and restarted under the server", () => {
  const own = cluster as OwnPostgres;
  let database: DatabaseHandle;
  let server: TestServer;
  let client: Client;
  let org: SeededOrganization;

  beforeAll(async () => {
    database = await openDatabase({ url: own.url, dataDir: "", poolSize: 5 });
    await database.migrate();
    server = await startServer({ database, env: { DATABASE_URL: own.url } });
    client = new Client(server.url);
    org = await new Seeding(client).organization();
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    own.destroy();
  });

  it(
    "answers 503 problems with Retry-After and no detail during the outage and recovers by itself after it",
    { timeout: 120_000 },
    async () => {
      expect((await client.get("/readyz")).status).toBe(200);
      own.stop();

      const ready = await client.get("/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 503, detail: "The database is not reachable" });
      const rest = await client.get("/api/organization", { token: org.adminToken });
      expect(rest.status).toBe(503);
      expect(rest.headers.get("retry-after")).toBe("2");
      expect(rest.headers.get("content-type")).toContain("application/problem+json");
      expectOpaque(rest);
      const gql = await client.graphql(`{ organization { id name } }`, {}, org.adminToken);
      expect(gql.codes).toEqual(["SERVICE_UNAVAILABLE"]);
      expect(gql.errors![0]!.message).toBe("The service is briefly unavailable; try again shortly");
      expect((gql.errors![0]!.extensions as { retryAfter?: number }).retryAfter).toBe(2);
      const signUp = await client.post("/api/organizations", {
        body: {
          Organization: { Name: "During Outage" },
          User: { FirstName: "A", Email: "a@example.com", Password: "Quiet-Harbor-Lantern-42" },
        },
      });
      expect(signUp.status).toBe(503);
      expectOpaque(signUp);

      own.start();
      const started = Date.now();
      const back = await eventually(
        () => client.get("/api/organization", { token: org.adminToken }),
        (result) => result.status === 200,
        15_000,
      );
      expect(back.status).toBe(200);
      expect(back.body.Organization.Name).toBe(org.name);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await client.get("/readyz")).status).toBe(200);
    },
  );
});

// ─── Redis: readiness and one log line per outage ─────────────────────────────────────────────

const redisServer = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((path) => existsSync(path));

function startRedis(port: number): ChildProcess {
  return spawn(redisServer!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
}

describe("the rate-limit store (Redis) going away", () => {
  it(
    "an unreachable REDIS_URL: /readyz 503 naming redis, one log line however long it lasts",
    { timeout: 60_000 },
    async () => {
      const log = logCollector();
      const server = await startServer({
        env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
        logger: { level: "info", stream: log.stream },
      });
      try {
        const client = new Client(server.url);
        // ioredis retries every few hundred milliseconds at first: several attempts in this time.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const ready = await client.get("/readyz");
        expect(ready.status).toBe(503);
        expect(ready.body.detail).toMatch(/redis/i);
        expect(log.count(/rate-limit store \(redis\) unreachable/)).toBe(1);
        expect(log.lines.filter((line) => (line.level ?? 0) >= 50)).toHaveLength(1);
      } finally {
        await server.close();
      }
    },
  );

  it.skipIf(!redisServer)(
    "a Redis that stops and comes back: 503 then 200, logged once each way",
    { timeout: 60_000 },
    async () => {
      const port = await freePort();
      let redis = startRedis(port);
      const log = logCollector();
      const server = await startServer({
        env: { REDIS_URL: `redis://127.0.0.1:${port}` },
        logger: { level: "info", stream: log.stream },
      });
      const client = new Client(server.url);
      try {
        expect(
          (
            await eventually(
              () => client.get("/readyz"),
              (r) => r.status === 200,
            )
          ).status,
        ).toBe(200);
        redis.kill("SIGKILL");
        const down = await eventually(
          () => client.get("/readyz"),
          (r) => r.status === 503,
        );
        expect(down.body.detail).toMatch(/redis/i);
        await new Promise((resolve) => setTimeout(resolve, 2500));
        expect(log.count(/unreachable/)).toBe(1);

        redis = startRedis(port);
        expect(
          (
            await eventually(
              () => client.get("/readyz"),
              (r) => r.status === 200,
              20_000,
            )
          ).status,
        ).toBe(200);
        expect(log.count(/reachable again/)).toBe(1);
        expect(log.count(/unreachable/)).toBe(1);
      } finally {
        await server.close();
        redis.kill("SIGKILL");
      }
    },
  );
});

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../src/db/client.js";
import { eventually } from "./support/eventually.js";
import { Client, type HttpResult } from "./support/http.js";
import { seedOrganization, type SeededOrganization } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

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

const pgBin = existsSync("/usr/lib/postgresql")
  ? readdirSync("/usr/lib/postgresql")
      .map((version) => `/usr/lib/postgresql/${version}/bin`)
      .find((bin) => existsSync(`${bin}/initdb`) && existsSync(`${bin}/pg_ctl`))
  : undefined;
const isRoot = userInfo().uid === 0;

/** A PostgreSQL cluster of this test's own, in a temporary directory; root runs it as `postgres`. */
class OwnCluster {
  readonly dir = mkdtempSync(join(tmpdir(), "gateway-faults-pg-"));
  port = 0;

  private run(tool: string, args: string[]) {
    const command = isRoot ? "runuser" : `${pgBin}/${tool}`;
    const argv = isRoot ? ["-u", "postgres", "--", `${pgBin}/${tool}`, ...args] : args;
    execFileSync(command, argv, { stdio: "pipe", timeout: 60_000 });
  }

  async init(): Promise<void> {
    if (isRoot) {
      chmodSync(this.dir, 0o700);
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
      const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
      chownSync(this.dir, uid, gid);
    }
    this.port = await freePort();
    this.run("initdb", ["-D", join(this.dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync"]);
  }

  start() {
    this.run("pg_ctl", [
      "start",
      "-D",
      join(this.dir, "data"),
      "-w",
      "-l",
      join(this.dir, "log"),
      "-o",
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    ]);
  }

  stop() {
    this.run("pg_ctl", ["stop", "-D", join(this.dir, "data"), "-m", "fast", "-w"]);
  }

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  destroy() {
    try {
      this.stop();
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startCluster(): Promise<OwnCluster | string> {
  if (!pgBin) return "no PostgreSQL binaries under /usr/lib/postgresql";
  const cluster = new OwnCluster();
  try {
    await cluster.init();
    cluster.start();
    return cluster;
  } catch (error) {
    cluster.destroy();
    return `cannot start a PostgreSQL cluster: ${(error as Error).message.split("\n")[0]}`;
  }
}

const cluster = await startCluster();
if (typeof cluster === "string") console.log(`faults.test.ts: PostgreSQL outage skipped (${cluster})`);

describe.skipIf(typeof cluster === "string")("PostgreSQL stopped and restarted under the server", () => {
  const own = cluster as OwnCluster;
  let database: DatabaseHandle;
  let server: TestServer;
  let client: Client;
  let org: SeededOrganization;

  beforeAll(async () => {
    database = await openDatabase({ url: own.url, dataDir: "", poolSize: 5 });
    await database.migrate();
    server = await startServer({ database, env: { DATABASE_URL: own.url } });
    client = new Client(server.url);
    org = await seedOrganization(client);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    own.destroy();
  });

  it(
    "answers 5xx problems without detail during the outage and recovers by itself after it",
    { timeout: 120_000 },
    async () => {
      expect((await client.get("/readyz")).status).toBe(200);
      own.stop();

      const ready = await client.get("/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 503, detail: "The database is not reachable" });
      const rest = await client.get("/api/organization", { token: org.adminToken });
      expect([500, 503]).toContain(rest.status);
      expect(rest.headers.get("content-type")).toContain("application/problem+json");
      expectOpaque(rest);
      const gql = await client.graphql(`{ organization { id name } }`, {}, org.adminToken);
      expect(gql.codes).toEqual(["INTERNAL_SERVER_ERROR"]);
      expect(gql.errors![0]!.message).toBe("An unexpected error occurred");
      const signUp = await client.post("/api/organizations", {
        body: {
          Organization: { Name: "During Outage" },
          User: { FirstName: "A", Email: "a@example.com", Password: "Quiet-Harbor-Lantern-42" },
        },
      });
      expect(signUp.status).toBeGreaterThanOrEqual(500);
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

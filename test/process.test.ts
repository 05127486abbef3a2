import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { Seeding } from "./support/kit.js";
import { listening, startProcess, type Running } from "./support/process.js";
import { password, unique, uniqueEmail } from "./support/seed.js";

const dataDir = mkdtempSync(join(tmpdir(), "gateway-process-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
/** A data directory of a test's own, for a server that must not share the file's. */
const ownDataDir = () => mkdtempSync(join(dataDir, "own-"));

const children: Running[] = [];
// A test that times out must not leave its server holding the DATA_DIR for the next one.
afterEach(() => {
  for (const running of children.splice(0)) if (running.child.exitCode === null) running.child.kill("SIGKILL");
});

/** The entry point on embedded PGlite in `dataDir`. */
function start(env: Record<string, string>) {
  const running = startProcess({ DATA_DIR: dataDir, ...env });
  children.push(running);
  return running;
}
const started = (env: Record<string, string> = {}) => listening(start(env));

describe("the server process", () => {
  it("refuses a bad configuration value, naming the variable", { timeout: 120_000 }, async () => {
    const running = start({ PORT: "not-a-port" });
    expect(await running.exit).toBe(1);
    expect(running.output()).toMatch(/PORT/);
    const idp = start({ IDP_JWKS_URL: "http://127.0.0.1:1/jwks.json" });
    expect(await idp.exit).toBe(1);
    expect(idp.output()).toMatch(/IDP_JWKS_URL, IDP_ISSUER and IDP_AUDIENCE must be set together/);
  });

  // Two cold starts of tsx and PGlite: slow on a busy machine.
  it(
    "starts on embedded PGlite, keeps data and signing key across a restart, and exits cleanly on SIGTERM",
    { timeout: 300_000 },
    async () => {
      const first = await started();
      const client = new Client(first.url);
      expect((await client.get("/readyz")).status).toBe(200);
      const org = await new Seeding(client).organization();
      first.child.kill("SIGTERM");
      expect(await first.exit).toBe(0);
      expect(first.output()).toMatch(/shutting down/);

      const second = await started();
      const again = new Client(second.url);
      // Same database, same stored key: the token issued before the restart still verifies.
      const result = await again.get("/api/organization", { token: org.adminToken });
      expect(result.status).toBe(200);
      expect(result.body.Organization.Name).toBe(org.name);
      second.child.kill("SIGTERM");
      expect(await second.exit).toBe(0);
    },
  );

  it(
    "refuses a second process on the same DATA_DIR with one line naming it and the running process",
    { timeout: 300_000 },
    async () => {
      const first = await started();
      try {
        const second = start({});
        expect(await second.exit).toBe(1);
        const lines = second.output().trim().split("\n");
        expect(lines).toEqual([
          `DATA_DIR ${dataDir} is in use by another gateway process (pid ${first.child.pid}); stop it or set another DATA_DIR`,
        ]);
        // The first one was not disturbed.
        expect((await new Client(first.url).get("/readyz")).status).toBe(200);
      } finally {
        first.child.kill("SIGTERM");
        expect(await first.exit).toBe(0);
      }
      // A lock left by a process that is gone (kill -9) does not keep the next one out.
      const crashed = await started();
      crashed.child.kill("SIGKILL");
      await crashed.exit;
      expect(existsSync(join(dataDir, "gateway.lock"))).toBe(true);
      const next = await started();
      next.child.kill("SIGTERM");
      expect(await next.exit).toBe(0);
    },
  );

  it("answers all of 20 requests in flight when SIGTERM arrives, then exits 0", { timeout: 300_000 }, async () => {
    const running = await started({ SIGN_UP_RATE_LIMIT: "100" });
    const client = new Client(running.url);
    const signUps = () => running.output().match(/"url":"\/api\/organizations".*"incoming request"/g)?.length ?? 0;
    const before = signUps();
    // Sign-ups hash a password: slow enough that most are still running when the signal lands.
    const inFlight = Array.from({ length: 20 }, () =>
      client.post("/api/organizations", {
        body: {
          Organization: { Name: unique("In Flight") },
          User: { FirstName: "In", LastName: "Flight", Email: uniqueEmail(), Password: password },
        },
      }),
    );
    // In flight means the server has read them, not that the client has queued them.
    await eventually(
      async () => signUps() - before,
      (received) => received === 20,
      30_000,
    );
    running.child.kill("SIGTERM");
    const results = await Promise.all(inFlight);
    expect(results.map((result) => result.status)).toEqual(Array(20).fill(200));
    expect(await running.exit).toBe(0);
  });

  it("names a bad key, an unreachable database and a taken port in one line, without a stack", async () => {
    const key = start({ JWT_PRIVATE_KEY: "not a key" });
    expect(await key.exit).toBe(1);
    expect(key.output()).toMatch(/JWT_PRIVATE_KEY: not a private key/);

    const database = start({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
    expect(await database.exit).toBe(1);
    expect(database.output()).toMatch(/Cannot reach the database 127\.0\.0\.1:1 \(ECONNREFUSED\)/);

    const blocker = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = String((blocker.address() as AddressInfo).port);
    const taken = start({ PORT: port });
    expect(await taken.exit).toBe(1);
    blocker.close();
    expect(taken.output()).toMatch(new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));

    for (const run of [key, database, taken]) expect(run.output()).not.toMatch(/^\s+at /m);
  }, 300_000);

  it("finishes in-flight requests on SIGINT under load before it closes the database", async () => {
    // Production mode: that is where Apollo would install signal handlers of its own.
    const running = await started({ NODE_ENV: "production" });
    const org = await new Seeding(new Client(running.url)).organization();
    const statuses: number[] = [];
    let stopping = false;
    const body = JSON.stringify({ query: "{ organization { id name slug } organizationAdmins { email } }" });
    const clientLoop = async () => {
      while (!stopping) {
        try {
          const response = await fetch(`${running.url}/graphql`, {
            method: "POST",
            headers: { authorization: `Bearer ${org.adminToken}`, "content-type": "application/json" },
            body,
          });
          await response.text();
          statuses.push(response.status);
        } catch {
          // Refused once the server stops accepting: expected, the loop ends with the process.
        }
      }
    };
    const clients = Array.from({ length: 16 }, clientLoop);
    await new Promise((resolve) => setTimeout(resolve, 500));
    running.child.kill("SIGINT");
    const code = await running.exit;
    stopping = true;
    await Promise.all(clients);
    expect(code).toBe(0);
    expect(statuses.length).toBeGreaterThan(0);
    // A request on a kept-alive connection while closing is served (with Connection: close), not
    // refused with 503.
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Neither a closed-database error nor any other error-level log line.
    expect(running.output()).not.toMatch(/CONNECTION_ENDED|closed|"level":(50|60)/);
  }, 300_000);

  it("logs where the IDE, docs and metrics are, and answers /readyz 503 while draining after SIGTERM", async () => {
    // A data directory of its own: a server another test left behind must not share its PGlite.
    const running = await started({ SHUTDOWN_DELAY_MS: "4000", DATA_DIR: ownDataDir() });
    const client = new Client(running.url);
    expect(running.output()).toMatch(/"ide":"http:\/\/localhost:0\/graphql"/);
    expect(running.output()).toMatch(/"docs":"[^"]+\/docs".*"metrics":"[^"]+\/metrics"/);
    expect((await client.get("/readyz")).status).toBe(200);
    running.child.kill("SIGTERM");
    expect(
      await eventually(
        async () => (await client.get("/readyz")).status,
        (status) => status === 503,
      ),
    ).toBe(503);
    expect((await client.get("/healthz")).status).toBe(200);
    expect(await running.exit).toBe(0);
  }, 300_000);

  it("sends traces to OTEL_EXPORTER_OTLP_ENDPOINT when it is set", async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push({ path: request.url ?? "", body });
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const running = await started({
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_BSP_SCHEDULE_DELAY: "200",
        DATA_DIR: ownDataDir(),
      });
      const client = new Client(running.url);
      expect((await client.get("/api/organization")).status).toBe(401);
      // Shutdown flushes what is left.
      running.child.kill("SIGTERM");
      expect(await running.exit).toBe(0);
      const traces = received.filter((request) => request.path === "/v1/traces");
      expect(traces.length).toBeGreaterThan(0);
      const all = traces.map((request) => request.body).join("\n");
      expect(all).toContain("b2b-account-gateway");
      expect(all).toContain("/api/organization");
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  }, 300_000);
});

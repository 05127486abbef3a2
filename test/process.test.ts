import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { seedOrganization } from "./support/seed.js";

const root = new URL("..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "gateway-process-"));
const ownDataDir = () => mkdtempSync(join(dataDir, "own-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves to the base URL once the server listens. */
  ready: Promise<string>;
  exit: Promise<number | null>;
}

/** Runs the real entry point, as `npm start` does, on embedded PGlite in `dataDir`. */
function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    // The run's DATABASE_URL must not leak in: this test is about the embedded default.
    env: {
      ...process.env,
      DATABASE_URL: "",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let resolveUrl: (url: string) => void;
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match) resolveUrl(match[1]!);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, ready: listening, exit };
}

async function started(env: Record<string, string> = {}) {
  const running = start(env);
  const url = await Promise.race([
    running.ready,
    running.exit.then((code) => Promise.reject(new Error(`exited ${code}: ${running.output()}`))),
  ]);
  return { ...running, url };
}

describe("the server process", () => {
  it("refuses a bad configuration value, naming the variable", async () => {
    const running = start({ PORT: "not-a-port" });
    expect(await running.exit).toBe(1);
    expect(running.output()).toMatch(/PORT/);
    const idp = start({ IDP_JWKS_URL: "http://127.0.0.1:1/jwks.json" });
    expect(await idp.exit).toBe(1);
    expect(idp.output()).toMatch(/IDP_JWKS_URL, IDP_ISSUER and IDP_AUDIENCE must be set together/);
  }, 120_000);

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
  }, 120_000);

  it("starts on embedded PGlite, keeps data and signing key across a restart, and exits cleanly on SIGTERM", async () => {
    const first = await started();
    const client = new Client(first.url);
    expect((await client.get("/readyz")).status).toBe(200);
    const org = await seedOrganization(client);
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
  }, 120_000);

  it("finishes in-flight requests on SIGINT under load before it closes the database", async () => {
    // Production mode: that is where Apollo would install signal handlers of its own.
    const running = await started({ NODE_ENV: "production" });
    const org = await seedOrganization(new Client(running.url));
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
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Neither a closed-database error nor any other error-level log line.
    expect(running.output()).not.toMatch(/CONNECTION_ENDED|closed|"level":(50|60)/);
  }, 120_000);

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
  }, 180_000);

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
  }, 180_000);
});

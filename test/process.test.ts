import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { listening, startProcess, type Running } from "./support/process.js";
import { password, seedOrganization, unique, uniqueEmail } from "./support/seed.js";

const dataDir = mkdtempSync(join(tmpdir(), "gateway-process-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

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
});

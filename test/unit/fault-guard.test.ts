import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { faultHandler, refusedByDatabase, thrownByDriver } from "../../src/fault-guard.js";

/** An error with the stack a thrown one would have had. */
function thrown(frames: string[]): Error {
  const error = new TypeError("Cannot read properties of null (reading 'write')");
  error.stack = [`TypeError: ${error.message}`, ...frames.map((frame) => `    at ${frame}`)].join("\n");
  return error;
}

// The bundle's frames name dist/ chunks; their source maps name the modules. "AAAA" maps the
// start of line 1 to the start of the first source.
const dist = mkdtempSync(join(tmpdir(), "fault-guard-"));
afterAll(() => rmSync(dist, { recursive: true, force: true }));
function chunk(name: string, source: string): string {
  const path = join(dist, name);
  writeFileSync(path, "bundled();\n");
  writeFileSync(`${path}.map`, JSON.stringify({ version: 3, sources: [source], names: [], mappings: "AAAA" }));
  return pathToFileURL(path).href;
}

describe("thrownByDriver", () => {
  it("is true for the driver's own frame first, as postgres.js's nextWrite crash had it", () => {
    const crash = thrown([
      "Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)",
      "process.processImmediate (node:internal/timers:483:21)",
    ]);
    expect(thrownByDriver(crash)).toBe(true);
    expect(thrownByDriver(thrown(["Socket.closed (/app/node_modules/postgres/cjs/src/connection.js:440:5)"]))).toBe(
      true,
    );
  });

  it("reads the bundle's source map to tell the driver's code in dist/", () => {
    const driver = chunk("main.js", "../node_modules/postgres/src/connection.js");
    const app = chunk("app-X1.js", "../build/app.js");
    expect(thrownByDriver(thrown([`Immediate.nextWrite (${driver}:1:5)`]))).toBe(true);
    expect(thrownByDriver(thrown([`handler (${app}:1:3)`, `Immediate.nextWrite (${driver}:1:5)`]))).toBe(false);
  });

  it("is false for the app's own code, even when the driver called it, and for non-errors", () => {
    expect(
      thrownByDriver(
        thrown([
          "onnotice (file:///app/src/db/client.ts:40:11)",
          "NoticeResponse (file:///app/node_modules/postgres/src/connection.js:917:5)",
        ]),
      ),
    ).toBe(false);
    expect(thrownByDriver("a string")).toBe(false);
    expect(thrownByDriver(new Error("no frames"))).toBe(false);
  });
});

/** The error Node throws for a socket with no error listener whose connection was refused. */
async function refusedConnection(): Promise<{ error: Error; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const error = await new Promise<Error>((resolve) => new Socket().on("error", resolve).connect(port, "127.0.0.1"));
  return { error, port };
}

describe("refusedByDatabase", () => {
  it("is true for a refused connection to the database's address, whose stack has only Node's frames", async () => {
    const { error, port } = await refusedConnection();
    expect(error.stack).toMatch(/afterConnect/);
    expect(thrownByDriver(error)).toBe(false);
    expect(refusedByDatabase(error, { host: "127.0.0.1", port })).toBe(true);
    // A host name in the URL resolves to the address Node names, so the port decides.
    expect(refusedByDatabase(error, { host: "db.internal", port })).toBe(true);
  });

  it("is false for another address or port, for errors of other calls, and without a database", async () => {
    const { error, port } = await refusedConnection();
    expect(refusedByDatabase(error, { host: "127.0.0.1", port: port + 1 })).toBe(false);
    expect(refusedByDatabase(error, { host: "10.0.0.5", port })).toBe(false);
    expect(refusedByDatabase(error, undefined)).toBe(false);
    const reset = Object.assign(new Error("read ECONNRESET"), { syscall: "read", code: "ECONNRESET", port });
    expect(refusedByDatabase(reset, { host: "127.0.0.1", port })).toBe(false);
  });
});

describe("faultHandler", () => {
  function harness() {
    const logged: { level: string; msg: string }[] = [];
    const log = {
      error: (_fields: unknown, msg: string) => logged.push({ level: "error", msg }),
      fatal: (_fields: unknown, msg: string) => logged.push({ level: "fatal", msg }),
    };
    const exits: number[] = [];
    let recoveries = 0;
    const handle = faultHandler({
      log: log as never,
      recover: async () => void recoveries++,
      database: { host: "127.0.0.1", port: 5432 },
      exit: (code) => void exits.push(code),
    });
    return { handle, logged, exits, recoveries: () => recoveries };
  }

  it("keeps the process up after a driver fault and replaces the pool once while it is being replaced", async () => {
    const { handle, logged, exits, recoveries } = harness();
    const crash = thrown(["Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)"]);
    handle(crash);
    handle(crash);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([]);
    expect(recoveries()).toBe(1);
    expect(logged.map((line) => line.level)).toEqual(["error", "error"]);
  });

  it("keeps the process up when a connection to the database was refused and nothing caught it", async () => {
    const { handle, exits, recoveries } = harness();
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
      syscall: "connect",
      code: "ECONNREFUSED",
      address: "127.0.0.1",
      port: 5432,
    });
    refused.stack = `Error: ${refused.message}\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1637:16)`;
    handle(refused);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([]);
    expect(recoveries()).toBe(1);
    handle(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { syscall: "connect", port: 6379 }));
    expect(exits).toEqual([1]);
  });

  it("ends the process with 1 for any other uncaught exception", () => {
    const { handle, logged, exits, recoveries } = harness();
    handle(thrown(["render (file:///app/src/features/users/users.service.ts:10:3)"]));
    expect(exits).toEqual([1]);
    expect(recoveries()).toBe(0);
    expect(logged).toEqual([{ level: "fatal", msg: "uncaught exception: the process exits" }]);
  });
});

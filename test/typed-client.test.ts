import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./support/server.js";

const run = promisify(execFile);

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ mailWorker: false });
});

afterAll(async () => {
  await server?.close();
});

describe("the typed client example", () => {
  it("generates its documents from the committed schema, compiles with tsc and runs against a server", async () => {
    // npm run example:typed: codegen, tsc --noEmit, then the script; a failing step rejects.
    const { stdout } = await run("npm", ["run", "--silent", "example:typed"], {
      cwd: process.cwd(),
      env: { ...process.env, BASE_URL: server.url },
      timeout: 240_000,
    });
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(summary).toMatchObject({
      priceTier: "Wholesale (USD)",
      salesReps: 1,
      rep: { repNumber: "R-1", accessType: "CUSTOMER", status: "INACTIVE" },
    });
  }, 300_000);
});

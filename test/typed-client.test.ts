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

/** Runs an example's npm script (generate, tsc --noEmit, then the script) against the test server; answers its last line. */
async function example(script: string): Promise<unknown> {
  // A failing step rejects.
  const { stdout } = await run("npm", ["run", "--silent", script], {
    cwd: process.cwd(),
    env: { ...process.env, BASE_URL: server.url },
    timeout: 240_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

describe("the typed client examples", () => {
  it("GraphQL: generates its documents from the committed schema, compiles with tsc and runs against a server", async () => {
    expect(await example("example:typed")).toMatchObject({
      priceTier: "Wholesale (USD)",
      salesReps: 1,
      rep: { repNumber: "R-1", accessType: "CUSTOMER", status: "INACTIVE" },
    });
  }, 300_000);

  it("REST: generates its types from the served OpenAPI document, compiles strict with the docs' bodies and runs", async () => {
    expect(await example("example:rest")).toEqual({
      organization: true,
      customer: { pricing: "Wholesale", currencyCode: "USD", attributes: { segment: "retail" } },
      listed: 1,
    });
  }, 300_000);
});

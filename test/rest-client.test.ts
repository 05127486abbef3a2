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

describe("the typed REST client example", () => {
  it("generates its types from the served OpenAPI document, compiles strict with the docs' bodies and runs against a server", async () => {
    // npm run example:rest: openapi-typescript, tsc --noEmit (strict), then the script; a failing step rejects.
    const { stdout } = await run("npm", ["run", "--silent", "example:rest"], {
      cwd: process.cwd(),
      env: { ...process.env, BASE_URL: server.url },
      timeout: 240_000,
    });
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(summary).toEqual({
      organization: true,
      customer: { pricing: "Wholesale", currencyCode: "USD", attributes: { segment: "retail" } },
      listed: 1,
    });
  }, 300_000);
});

import { PGlite } from "@electric-sql/pglite";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { inject } from "vitest";
import { buildApp, type GatewayApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { openDatabase, type DatabaseHandle } from "../../src/db/client.js";

export interface TestServer extends GatewayApp {
  url: string;
  config: Config;
  database: DatabaseHandle;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Environment on top of the test defaults, as an operator would set it. */
  env?: Record<string, string | undefined>;
  mailWorker?: boolean;
  /** Share another server's database, as a second instance would. */
  database?: DatabaseHandle;
}

/** Opens the database the run uses: the real PostgreSQL when DATABASE_URL is set, else PGlite. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  if (process.env.DATABASE_URL) {
    return openDatabase({ url: process.env.DATABASE_URL, dataDir: "", poolSize: 5 });
  }
  const snapshot = readFileSync(inject("pgliteSnapshot"));
  const pglite = await PGlite.create({ loadDataDir: new Blob([snapshot]) });
  return openDatabase({ dataDir: "memory://", pglite });
}

/** Builds the app exactly as main does and listens on a free loopback port. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await openTestDatabase());
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    MAIL_POLL_INTERVAL_MS: "50",
    MAIL_RETRY_BASE_MS: "100",
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...options.env,
  });
  const gateway = await buildApp({ config, database, logger: false, mailWorker: options.mailWorker });
  await gateway.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = gateway.app.server.address() as AddressInfo;
  const ownsDatabase = !options.database;
  return {
    ...gateway,
    url: `http://127.0.0.1:${port}`,
    config,
    database,
    async close() {
      await gateway.app.close();
      if (ownsDatabase) await database.close();
    },
  };
}

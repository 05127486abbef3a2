import { PGlite } from "@electric-sql/pglite";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import type { Logger } from "drizzle-orm";
import type { FastifyServerOptions } from "fastify";
import postgres from "postgres";
import { inject } from "vitest";
import { buildApp, type GatewayApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import type { HostResolver } from "../../src/context.js";
import { openDatabase, type DatabaseHandle } from "../../src/db/client.js";
import { PostmarkStandIn } from "./postmark-stand-in.js";

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
  /** Sees every SQL statement the server runs (ignored when `database` is given). */
  queryLogger?: Logger;
  /** Fastify logger options (default: no logging), e.g. `loggerOptions(level, stream)` to read the log. */
  logger?: FastifyServerOptions["logger"];
  /** Answers the webhook host look-ups instead of the system resolver. */
  resolveHost?: HostResolver;
}

/**
 * Opens a database of its own for the caller: on PostgreSQL (DATABASE_URL) a fresh database cloned
 * from the run's migrated one, else PGlite loaded from the run's snapshot. Test files never share
 * rows, so one file's mail worker cannot deliver another file's e-mail.
 */
export async function openTestDatabase(logger?: Logger): Promise<DatabaseHandle> {
  if (process.env.DATABASE_URL) return clonePostgres(process.env.DATABASE_URL, logger);
  const snapshot = readFileSync(inject("pgliteSnapshot"));
  const pglite = await PGlite.create({ loadDataDir: new Blob([snapshot]) });
  return openDatabase({ dataDir: "memory://", pglite, logger });
}

/** Builds the app exactly as main does and listens on a free loopback port. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await openTestDatabase(options.queryLogger));
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    MAIL_POLL_INTERVAL_MS: "50",
    MAIL_RETRY_BASE_MS: "100",
    // Every test file signs up its tenants from 127.0.0.1; the limit itself is tested on its own.
    SIGN_UP_RATE_LIMIT: "100000",
    // The same for the e-mail lookups (sign-up, assign-admin) and the per-recipient mail caps.
    EMAIL_LOOKUP_RATE_LIMIT: "100000",
    MAIL_RECIPIENT_HOURLY_LIMIT: "1000",
    MAIL_RECIPIENT_DAILY_LIMIT: "1000",
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...options.env,
  });
  const gateway = await buildApp({
    config,
    database,
    logger: options.logger ?? false,
    mailWorker: options.mailWorker,
    resolveHost: options.resolveHost,
  });
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

/** A server whose e-mail goes to its own stand-in Postmark; close() stops both. */
export async function startServerWithMail(
  options: StartOptions = {},
): Promise<TestServer & { postmark: PostmarkStandIn; postmarkToken: string }> {
  const postmark = new PostmarkStandIn();
  const postmarkToken = "stand-in-server-token";
  const url = await postmark.start();
  const server = await startServer({
    ...options,
    env: { POSTMARK_SERVER_TOKEN: postmarkToken, POSTMARK_API_URL: url, ...options.env },
  });
  return {
    ...server,
    postmark,
    postmarkToken,
    async close() {
      await server.close();
      await postmark.stop();
    },
  };
}

async function clonePostgres(templateUrl: string, logger?: Logger): Promise<DatabaseHandle> {
  const template = new URL(templateUrl);
  const templateName = decodeURIComponent(template.pathname.slice(1));
  const name = `${templateName}_${randomBytes(4).toString("hex")}`.slice(0, 63);
  const admin = new URL(templateUrl);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
  try {
    await sql`create database ${sql(name)} template ${sql(templateName)}`;
  } finally {
    await sql.end();
  }
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), dataDir: "", poolSize: 5, logger });
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
      try {
        await dropper`drop database if exists ${dropper(name)} with (force)`;
      } finally {
        await dropper.end();
      }
    },
  };
}

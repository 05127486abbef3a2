import "reflect-metadata";
import { existsSync } from "node:fs";
import { loadConfig, type Config } from "./config.js";
import { guardProcess, type DatabaseEndpoint } from "./fault-guard.js";
import { describeStartupError } from "./startup-error.js";

async function main(): Promise<void> {
  // A .env in the working directory configures a plain `node dist/main.js`, as .env.example shows;
  // loadEnvFile never overwrites a variable the environment already has, so deployments still win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  // Before the app's modules load, so the http instrumentation sees Fastify's server.
  const stopTracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? (await import("./tracing.js")).startTracing()
    : async () => undefined;
  // The database opens and migrates while the app's modules load: much of opening is waiting (on
  // PostgreSQL, on the disk, on PGlite's WebAssembly compiling on other threads).
  const [database, { buildApp }] = await Promise.all([openAndMigrate(config), import("./app.js")]);
  const { app, startDraining } = await buildApp({ config, database });
  guardProcess({ log: app.log, recover: () => database.replacePool?.(), database: databaseEndpoint(config) });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, delayMs: config.SHUTDOWN_DELAY_MS }, "shutting down: draining requests");
    // /readyz turns 503 first; the delay gives load balancers time to notice before the listener closes.
    startDraining();
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
    // Fastify stops accepting, waits for in-flight requests, then runs onClose (mail worker, limiter).
    await app.close();
    await database.close();
    await stopTracing();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info({ database: database.kind }, "gateway ready");
  const base = config.PUBLIC_URL;
  app.log.info(
    { ide: `${base}/graphql`, docs: `${base}/docs`, openapi: `${base}/openapi.json`, metrics: `${base}/metrics` },
    `open ${base}/ in a browser: GraphQL IDE at /graphql, REST docs at /docs, metrics at /metrics`,
  );
}

/** The PostgreSQL server's address (none for embedded PGlite): the fault guard's to recognise. */
function databaseEndpoint(config: Config): DatabaseEndpoint | undefined {
  if (!config.DATABASE_URL || !URL.canParse(config.DATABASE_URL)) return undefined;
  const url = new URL(config.DATABASE_URL);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost";
  return { host, port: Number(url.port || 5432) };
}

async function openAndMigrate(config: Config) {
  const { openDatabase } = await import("./db/client.js");
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    timeouts: {
      connectMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      acquireMs: config.DATABASE_ACQUIRE_TIMEOUT_MS,
      statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    },
  });
  await database.migrate();
  return database;
}

/** Starts the gateway: the process's whole life after src/main.ts has turned on the compile cache. */
export function start(): void {
  main().catch((error: unknown) => {
    console.error(describeStartupError(error) ?? error);
    process.exit(1);
  });
}

import "reflect-metadata";
import { existsSync } from "node:fs";
import { buildApp } from "./app.js";
import { loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import { describeStartupError } from "./startup-error.js";

async function main(): Promise<void> {
  // A .env in the working directory configures a plain `node dist/main.js`, as .env.example shows;
  // loadEnvFile never overwrites a variable the environment already has, so deployments still win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  await database.migrate();
  const { app } = await buildApp({ config, database });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down: draining requests");
    // Fastify stops accepting, waits for in-flight requests, then runs onClose (mail worker, limiter).
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info({ database: database.kind }, "gateway ready");
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error) ?? error);
  process.exit(1);
});

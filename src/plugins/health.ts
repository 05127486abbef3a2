import type { FastifyInstance } from "fastify";
import type { AppServices } from "../context.js";
import type { DatabaseHandle } from "../db/client.js";
import { sendProblem } from "../rest/problem.js";

export interface HealthOptions {
  services: AppServices;
  database: DatabaseHandle;
  /** True from SIGTERM on (src/http/drain.ts). */
  draining(): boolean;
}

/** `/healthz` (the process answers), `/readyz` (it can serve: database, redis, not draining) and the signing keys. */
export async function healthPlugin(
  app: FastifyInstance,
  { services, database, draining }: HealthOptions,
): Promise<void> {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (request, reply) => {
    if (draining()) return sendProblem(reply, { status: 503, detail: "The server is shutting down" });
    try {
      await database.ping();
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return sendProblem(reply, { status: 503, detail: "The database is not reachable" });
    }
    // Its outage is logged by the limiter when it starts and ends, not on every probe.
    if (!services.limiter.available()) {
      return sendProblem(reply, { status: 503, detail: "The rate-limit store (redis) is not reachable" });
    }
    return services.config.REDIS_URL ? { status: "ok", database: "ok", redis: "ok" } : { status: "ok", database: "ok" };
  });
  app.get("/.well-known/jwks.json", async (_request, reply) => {
    reply.header("cache-control", "public, max-age=300");
    return services.tokens.jwks;
  });
}

import compress from "@fastify/compress";
import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { rateReportOf } from "../rate-limit/rate-report.js";

/**
 * What every response passes through on its way to a browser or proxy: the request id, the
 * RateLimit headers, security headers, CORS for the configured origins, compression.
 */
export async function registerHttpEdge(app: FastifyInstance, config: Config): Promise<void> {
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // Set on the way out because the quotas are counted deep in GraphQL execution, for REST too.
  app.addHook("onSend", async (request, reply) => {
    reply.headers(rateReportOf(request).headers());
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // Pages, the IDE and /docs load only their own files; React and Swagger UI set style attributes.
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // Helmet's default would send plain-http deployments (localhost) to https for every asset.
        upgradeInsecureRequests: null,
      },
    },
  });

  const allowed = new Set(config.CORS_ORIGINS);
  await app.register(cors, {
    // Another origin gets no CORS header at all, preflight included: browsers then keep it out.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    exposedHeaders: [
      "x-request-id",
      "x-total-count",
      "retry-after",
      "ratelimit",
      "ratelimit-policy",
      "idempotent-replayed",
    ],
    maxAge: 600,
  });

  await app.register(compress, { global: true });
}

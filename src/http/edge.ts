import compress from "@fastify/compress";
import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";
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

  const securityHeaders = helmetHeaders({
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
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(securityHeaders);
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

/**
 * The headers Helmet sets with these options. They depend on nothing in a request (no CSP nonces),
 * so Helmet runs once, against a recorder, instead of once per request as its Fastify plugin
 * does, which builds every header again each time.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  };
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

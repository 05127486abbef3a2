import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from "@apollo/server/plugin/disabled";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { GraphQLSchema } from "graphql";
import { loadSigningKey } from "./auth/keys.js";
import { TokenService } from "./auth/tokens.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/client.js";
import { features } from "./features/index.js";
import { accountDirectory } from "./features/sessions/account-directory.js";
import { createContext, type AppServices, type RequestContext } from "./context.js";
import { formatGraphqlError } from "./graphql/format-error.js";
import { allowsAnonymous } from "./graphql/rules.js";
import { operationLimitsRule } from "./graphql/operation-limits.js";
import { buildGatewaySchema } from "./graphql/schema.js";
import { postmarkTransport } from "./mail/postmark-transport.js";
import { MailWorker } from "./mail/worker.js";
import { AuditPruner } from "./features/audit/audit-pruner.js";
import { WebhookWorker } from "./features/webhooks/webhook-worker.js";
import { createRateLimiter } from "./rate-limit/create-rate-limiter.js";
import { sendProblem } from "./rest/problem.js";
import { registerRestRoutes } from "./rest/register.js";

export interface BuildAppOptions {
  config: Config;
  database: DatabaseHandle;
  /** Fastify logger options; tests pass false. */
  logger?: FastifyServerOptions["logger"];
  /** Runs the outbox worker inside this process (default true). */
  mailWorker?: boolean;
}

export interface GatewayApp {
  app: FastifyInstance;
  schema: GraphQLSchema;
  services: AppServices;
  mailWorker: MailWorker;
  auditPruner: AuditPruner;
  webhookWorker: WebhookWorker;
}

const bodyLimit = 256 * 1024;

function trustProxy(value: string | undefined): FastifyServerOptions["trustProxy"] {
  if (!value || value === "false") return false;
  if (value === "true") return true;
  // Otherwise a comma-separated list of trusted proxy addresses or CIDR ranges.
  return value.split(",").map((part) => part.trim());
}

/** Builds the whole HTTP application; main and the tests build it the same way. */
export async function buildApp(options: BuildAppOptions): Promise<GatewayApp> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL },
    trustProxy: trustProxy(config.TRUST_PROXY),
    bodyLimit,
    // Graceful shutdown waits for in-flight requests; keep-alive sockets must not hold it open.
    forceCloseConnections: "idle",
  });

  const key = await loadSigningKey(database.db, config.JWT_PRIVATE_KEY);
  const services: AppServices = {
    db: database.db,
    config,
    tokens: new TokenService(key, config),
    directory: accountDirectory(database.db),
    limiter: createRateLimiter(config, (error) => app.log.warn({ err: error }, "rate-limit store unavailable")),
    log: app.log,
  };
  const { schema, rules } = await buildGatewaySchema(features, { federation: config.FEDERATION });

  const mailWorker = new MailWorker(database.db, {
    transport: config.POSTMARK_SERVER_TOKEN
      ? postmarkTransport({
          serverToken: config.POSTMARK_SERVER_TOKEN,
          apiUrl: config.POSTMARK_API_URL,
          from: config.MAIL_FROM,
        })
      : undefined,
    pollIntervalMs: config.MAIL_POLL_INTERVAL_MS,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    retryBaseMs: config.MAIL_RETRY_BASE_MS,
    requeueLoggedHours: config.MAIL_REQUEUE_LOGGED_HOURS,
    retentionDays: config.MAIL_RETENTION_DAYS,
    log: app.log.child({ component: "mail" }),
  });
  const auditPruner = new AuditPruner(database.db, {
    retentionDays: config.AUDIT_RETENTION_DAYS,
    log: app.log.child({ component: "audit" }),
  });
  const webhookWorker = new WebhookWorker(database.db, {
    pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
    urlPolicy: { allowHttp: config.WEBHOOK_ALLOW_HTTP, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS },
    log: app.log.child({ component: "webhooks" }),
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return sendProblem(reply, { status: 500, detail: "An unexpected error occurred" });
    }
    // Fastify's own 4xx messages (bad JSON, body too large, wrong content type) are safe to show.
    return sendProblem(reply, { status, detail: error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { status: 404, detail: `No route ${request.method} ${request.url.split("?")[0]}` }),
  );

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (request, reply) => {
    try {
      await database.ping();
      return { status: "ok", database: "ok" };
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return sendProblem(reply, { status: 503, detail: "The database is not reachable" });
    }
  });
  app.get("/.well-known/jwks.json", async (_request, reply) => {
    reply.header("cache-control", "public, max-age=300");
    return services.tokens.jwks;
  });

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    validationRules: [operationLimitsRule()],
    // Cache-control and (as a subgraph) inline tracing hook every field; this API uses neither.
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
    formatError: (formatted, error) =>
      formatGraphqlError(formatted, error, (original) => app.log.error({ err: original }, "GraphQL operation failed")),
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    context: async (request) => createContext(services, request),
  });

  registerRestRoutes(
    app,
    schema,
    services,
    features.flatMap((feature) => feature.routes),
    (type, field) => allowsAnonymous(rules[type][field]),
  );

  if (options.mailWorker ?? true) {
    app.addHook("onReady", async () => {
      mailWorker.start();
      auditPruner.start();
      webhookWorker.start();
    });
  }
  app.addHook("onClose", async () => {
    await mailWorker.stop();
    await auditPruner.stop();
    await webhookWorker.stop();
    await services.limiter.close();
  });

  return { app, schema, services, mailWorker, auditPruner, webhookWorker };
}

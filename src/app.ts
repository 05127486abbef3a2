import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import { readFileSync } from "node:fs";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { GraphQLSchema } from "graphql";
import { KeyRing } from "./auth/key-ring.js";
import { TokenService } from "./auth/tokens.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/client.js";
import { isDatabaseUnavailable } from "./db/errors.js";
import { unavailable } from "./errors.js";
import { features } from "./features/index.js";
import { registerOAuthTokenRoute } from "./features/api-clients/oauth-token.route.js";
import { accountDirectory } from "./features/sessions/account-directory.js";
import { createContext, type AppServices, type HostResolver, type RequestContext } from "./context.js";
import { formatGraphqlError } from "./graphql/format-error.js";
import { isOpenToAnonymous, ratePoliciesOf } from "./auth/access.js";
import { defaultOperationLimits, operationLimitsRule } from "./graphql/operation-limits.js";
import { storableInputPlugin } from "./graphql/storable-input.js";
import { idempotencyPlugin } from "./graphql/idempotency-plugin.js";
import { idempotencyKeyPruner } from "./features/idempotency/idempotency.service.js";
import { leaveLinkPruner } from "./features/memberships/leave-link-pruner.js";
import { expiredCredentialPruners } from "./features/sessions/credential-pruners.js";
import type { RetentionPruner } from "./db/retention-pruner.js";
import { limitJsonBodyDepth } from "./json-body.js";
import { refuseOversizeBodiesEarly } from "./early-body-limit.js";
import { buildGatewaySchema } from "./graphql/schema.js";
import { CompiledExecution } from "./graphql/compiled-execution.js";
import { MailWorker } from "./mail/worker.js";
import { recipientCaps } from "./mail/outbox.js";
import { trackInFlight } from "./in-flight.js";
import { registerApiDocs } from "./http/api-docs.js";
import { drainConnections } from "./http/drain.js";
import { collectWhenQuiet } from "./http/quiet-gc.js";
import { registerHttpEdge } from "./http/edge.js";
import { refuseMediaType } from "./http/media-type.js";
import { GatewayMetrics, registerMetricsRoute } from "./http/metrics.js";
import { registerPages } from "./http/pages.js";
import { requestIdGenerator } from "./http/request-id.js";
import { loggerOptions, prettyLogs } from "./logging.js";
import { registerDevMail } from "./mail/dev-mail.js";
import { packageRoot } from "./package-root.js";
import { AuditPruner } from "./features/audit/audit-pruner.js";
import { systemResolver } from "./features/webhooks/url-guard.js";
import { WebhookWorker } from "./features/webhooks/webhook-worker.js";
import { createRateLimiter } from "./rate-limit/create-rate-limiter.js";
import { sendProblem } from "./rest/problem.js";
import { buildOpenApiDocument } from "./rest/openapi/document.js";
import { prepareRoute, registerRestRoutes } from "./rest/register.js";

export interface BuildAppOptions {
  config: Config;
  database: DatabaseHandle;
  /** Fastify logger options; default: `loggerOptions` at LOG_LEVEL. Tests pass false. */
  logger?: FastifyServerOptions["logger"];
  /** Runs the outbox worker inside this process (default true). */
  mailWorker?: boolean;
  /** Resolves webhook hosts, for registration checks and delivery sockets; the system resolver by default. */
  resolveHost?: HostResolver;
}

export interface GatewayApp {
  app: FastifyInstance;
  schema: GraphQLSchema;
  services: AppServices;
  mailWorker: MailWorker;
  metrics: GatewayMetrics;
  /** From SIGTERM until close: /readyz answers 503 so load balancers stop sending traffic, and
   * every answer closes its connection. */
  startDraining(): void;
  auditPruner: AuditPruner;
  idempotencyPruner: RetentionPruner;
  /** Revoked sessions, password-reset links, device tokens and leave links past their lifetime. */
  credentialPruners: RetentionPruner[];
  webhookWorker: WebhookWorker;
}

const manifest = JSON.parse(readFileSync(new URL("package.json", packageRoot), "utf8")) as {
  version: string;
  license: string;
  author: string;
  bugs: { email: string };
};
const { version } = manifest;

const bodyLimit = 256 * 1024;
/** Requests answered, then this long without one: the heap the load grew is collected and given back. */
const quietGcMs = 10_000;
/** How long shutdown waits for handlers whose clients have gone; longer ones meet a closed database. */
const shutdownGraceMs = 10_000;

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
    logger: options.logger ?? loggerOptions(config.LOG_LEVEL, undefined, prettyLogs(config)),
    trustProxy: trustProxy(config.TRUST_PROXY),
    genReqId: requestIdGenerator(Boolean(trustProxy(config.TRUST_PROXY))),
    bodyLimit,
    // Shutdown closes idle keep-alive sockets itself, after a linger (src/http/drain.ts), and
    // serves what arrives on open connections meanwhile instead of answering it 503.
    forceCloseConnections: false,
    return503OnClosing: false,
  });
  const inFlight = trackInFlight(app);
  const drain = drainConnections(app);
  limitJsonBodyDepth(app);
  // Filled once the REST routes are known: a bulk route may take more than the default.
  const routeBodyLimits = new Map<string, number>();
  refuseOversizeBodiesEarly(app, bodyLimit, (method, path) => routeBodyLimits.get(`${method} ${path}`));

  await registerHttpEdge(app, config);
  const metrics = new GatewayMetrics(database.db);
  metrics.instrument(app);

  const keys = config.JWT_PRIVATE_KEY
    ? await KeyRing.configured(config.JWT_PRIVATE_KEY)
    : await KeyRing.fromDatabase(database.db, {
        graceSeconds: config.JWT_KEY_GRACE_SECONDS,
        refreshSeconds: config.JWT_KEY_REFRESH_SECONDS,
        onRefreshError: (error) => app.log.warn({ err: error }, "signing keys could not be re-read"),
      });
  const resolveHost = options.resolveHost ?? systemResolver;
  const services: AppServices = {
    db: database.db,
    config,
    resolveHost,
    tokens: new TokenService(keys, config),
    directory: accountDirectory(database.db),
    limiter: await createRateLimiter(config, {
      down: (error) => app.log.error({ reason: error.message }, "rate-limit store (redis) unreachable"),
      up: () => app.log.info("rate-limit store (redis) reachable again"),
    }),
    log: app.log,
  };
  const { schema, access } = await buildGatewaySchema(features, { federation: config.FEDERATION });
  const execution = new CompiledExecution(schema);

  // Imported only with a token: a server that logs its mail instead has no use for the Postmark client.
  const transport = config.POSTMARK_SERVER_TOKEN
    ? (await import("./mail/postmark-transport.js")).postmarkTransport({
        serverToken: config.POSTMARK_SERVER_TOKEN,
        apiUrl: config.POSTMARK_API_URL,
        from: config.MAIL_FROM,
      })
    : undefined;
  const mailWorker = new MailWorker(database.db, {
    transport,
    pollIntervalMs: config.MAIL_POLL_INTERVAL_MS,
    listen: database.listen,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    retryBaseMs: config.MAIL_RETRY_BASE_MS,
    requeueLoggedHours: config.MAIL_REQUEUE_LOGGED_HOURS,
    retentionDays: config.MAIL_RETENTION_DAYS,
    logBodies: config.MAIL_LOG_BODIES,
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    logLinks: config.DEV_MAIL,
    log: app.log.child({ component: "mail" }),
  });
  const auditPruner = new AuditPruner(database.db, {
    retentionDays: config.AUDIT_RETENTION_DAYS,
    log: app.log.child({ component: "audit" }),
  });
  const idempotencyPruner = idempotencyKeyPruner(database.db, app.log.child({ component: "idempotency" }));
  const credentialLog = app.log.child({ component: "credentials" });
  const credentialPruners = [
    ...expiredCredentialPruners(database.db, credentialLog),
    leaveLinkPruner(database.db, credentialLog),
  ];
  const webhookWorker = new WebhookWorker(database.db, {
    pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    listen: database.listen,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
    urlPolicy: {
      allowHttp: config.WEBHOOK_ALLOW_HTTP,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS,
      resolve: resolveHost,
    },
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    mailCaps: recipientCaps(config),
    log: app.log.child({ component: "webhooks" }),
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return refuseMediaType(request, reply);
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      // A database outage met outside an operation (a hook, a plain route) is as retryable there.
      if (isDatabaseUnavailable(error)) {
        return sendProblem(reply, { status: 503, detail: unavailable.message, retryAfter: unavailable.retryAfter });
      }
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
    if (drain.draining) return sendProblem(reply, { status: 503, detail: "The server is shutting down" });
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
    return config.REDIS_URL ? { status: "ok", database: "ok", redis: "ok" } : { status: "ok", database: "ok" };
  });
  app.get("/.well-known/jwks.json", async (_request, reply) => {
    reply.header("cache-control", "public, max-age=300");
    return services.tokens.jwks;
  });

  const apollo = new ApolloServer<RequestContext>({
    gateway: execution.asApolloGateway(),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // main owns SIGINT/SIGTERM: Apollo's own handler would cut in-flight requests off (its drain
    // closes every connection) while main is still draining them, and then the database closes under them.
    stopOnTerminationSignals: false,
    // The token limit bounds parsing (and the parser's recursion) before any other limit applies.
    parseOptions: { maxTokens: defaultOperationLimits.maxTokens },
    validationRules: [operationLimitsRule()],
    // Cache-control and (as a subgraph) inline tracing hook every field; this API uses neither.
    // Browsers opening /graphql get GraphiQL from registerPages, not Apollo's landing page, which
    // loads from a CDN.
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      storableInputPlugin,
      idempotencyPlugin,
      metrics.apolloPlugin(),
    ],
    formatError: (formatted, error) =>
      formatGraphqlError(formatted, error, (original) => app.log.error({ err: original }, "GraphQL operation failed")),
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    context: async (request) => createContext(services, request),
  });

  registerOAuthTokenRoute(app, services);
  const isPublicField = (type: "Query" | "Mutation", field: string) => isOpenToAnonymous(access[type][field]);
  // Parsed once for both.
  const restGroups = features.map((feature) => ({
    name: feature.name,
    description: feature.description,
    routes: feature.routes.map((route) => prepareRoute(route, isPublicField)),
  }));
  const restRoutes = restGroups.flatMap((group) => group.routes);
  for (const { route } of restRoutes) {
    if (route.bodyLimit) routeBodyLimits.set(`${route.method} ${route.path}`, route.bodyLimit);
  }
  registerRestRoutes(app, execution, services, restRoutes);
  const openApi = buildOpenApiDocument(
    schema,
    restGroups,
    { ratePolicies: (type, field) => ratePoliciesOf(field, access[type][field], config) },
    {
      title: "B2B account gateway REST API",
      version,
      serverUrl: config.PUBLIC_URL,
      license: manifest.license,
      contact: { name: manifest.author.replace(/\s*<.*>$/, ""), email: manifest.bugs.email },
      corsOrigins: config.CORS_ORIGINS,
    },
  );
  await registerApiDocs(app, openApi);
  await registerPages(app);
  if (config.DEV_MAIL) registerDevMail(app, database.db);
  registerMetricsRoute(app, metrics, config.METRICS_TOKEN);
  collectWhenQuiet(app, quietGcMs);

  if (options.mailWorker ?? true) {
    app.addHook("onReady", async () => {
      mailWorker.start();
      auditPruner.start();
      idempotencyPruner.start();
      for (const pruner of credentialPruners) pruner.start();
      webhookWorker.start();
    });
  }
  app.addHook("onClose", async () => {
    await inFlight.drained(shutdownGraceMs);
    keys.stop();
    await mailWorker.stop();
    await auditPruner.stop();
    await idempotencyPruner.stop();
    await Promise.all(credentialPruners.map((pruner) => pruner.stop()));
    await webhookWorker.stop();
    await services.limiter.close();
  });

  return {
    app,
    schema,
    services,
    mailWorker,
    metrics,
    auditPruner,
    idempotencyPruner,
    credentialPruners,
    webhookWorker,
    startDraining: drain.start,
  };
}

import { readFileSync } from "node:fs";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { GraphQLSchema } from "graphql";
import { KeyRing } from "./auth/key-ring.js";
import { TokenService } from "./auth/tokens.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/client.js";
import { features } from "./features/index.js";
import { accountDirectory } from "./features/sessions/account-directory.js";
import type { AppServices, HostResolver } from "./context.js";
import type { RetentionPruner } from "./db/retention-pruner.js";
import { limitJsonBodyDepth } from "./json-body.js";
import { refuseOversizeBodiesEarly } from "./early-body-limit.js";
import { buildGatewaySchema } from "./graphql/schema.js";
import { CompiledExecution } from "./graphql/compiled-execution.js";
import type { MailWorker } from "./mail/worker.js";
import { trackInFlight } from "./in-flight.js";
import { drainConnections } from "./http/drain.js";
import { collectWhenQuiet } from "./http/quiet-gc.js";
import { registerHttpEdge } from "./http/edge.js";
import { GatewayMetrics } from "./http/metrics.js";
import { requestIdGenerator } from "./http/request-id.js";
import { loggerOptions, prettyLogs } from "./logging.js";
import { packageRoot } from "./package-root.js";
import type { AuditPruner } from "./features/audit/audit-pruner.js";
import { systemResolver } from "./features/webhooks/url-guard.js";
import type { WebhookWorker } from "./features/webhooks/webhook-worker.js";
import { createRateLimiter } from "./rate-limit/create-rate-limiter.js";
import { backgroundJobsPlugin, createBackgroundJobs } from "./plugins/background-jobs.js";
import { graphqlPlugin } from "./plugins/graphql.js";
import { healthPlugin } from "./plugins/health.js";
import { metricsPlugin } from "./plugins/metrics.js";
import { pagesPlugin } from "./plugins/pages.js";
import { problemHandlers } from "./plugins/problems.js";
import { restPlugin } from "./plugins/rest.js";

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

/**
 * Builds the whole HTTP application; main and the tests build it the same way. Each concern is a
 * plugin in src/plugins/. Order matters twice: a plugin that hooks the root instance (problem
 * handlers, metrics, pages) comes before the route plugins, whose instances take the hooks and
 * handlers their parent has when they are created; and onClose hooks run last-registered first, so
 * the rate limiter's is registered first (it closes last) and the in-flight wait last (it runs first).
 */
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
  // Filled by the REST plugin once its routes are known: a bulk route may take more than the default.
  const routeBodyLimits = new Map<string, number>();
  refuseOversizeBodiesEarly(app, bodyLimit, (method, path) => routeBodyLimits.get(`${method} ${path}`));

  await registerHttpEdge(app, config);
  const metrics = new GatewayMetrics(database.db);
  await app.register(metricsPlugin, { metrics, token: config.METRICS_TOKEN });
  collectWhenQuiet(app, quietGcMs);

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
  // Closed last: requests still draining check their rate limits in it.
  app.addHook("onClose", async () => services.limiter.close());
  const { schema, access } = await buildGatewaySchema(features, { federation: config.FEDERATION });
  const execution = new CompiledExecution(schema);
  const jobs = await createBackgroundJobs(config, database, resolveHost, app.log);

  await app.register(problemHandlers);
  await app.register(healthPlugin, { services, database, draining: () => drain.draining });
  await app.register(pagesPlugin, { db: database.db, devMail: config.DEV_MAIL });
  await app.register(graphqlPlugin, { execution, services, metrics });
  await app.register(restPlugin, {
    schema,
    access,
    execution,
    services,
    routeBodyLimits,
    info: {
      title: "B2B account gateway REST API",
      version,
      serverUrl: config.PUBLIC_URL,
      license: manifest.license,
      contact: { name: manifest.author.replace(/\s*<.*>$/, ""), email: manifest.bugs.email },
      corsOrigins: config.CORS_ORIGINS,
    },
  });
  await app.register(backgroundJobsPlugin, { jobs, start: options.mailWorker ?? true });
  // First on close, once the listener has stopped: a handler whose client has gone may still sign a
  // token or write to the outbox.
  app.addHook("onClose", async () => {
    await inFlight.drained(shutdownGraceMs);
    keys.stop();
  });

  return { app, schema, services, metrics, ...jobs, startDraining: drain.start };
}

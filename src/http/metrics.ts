import type { ApolloServerPlugin } from "@apollo/server";
import { count } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/client.js";
import { mailOutbox, mailStatuses } from "../mail/outbox.tables.js";
import { sendProblem } from "../rest/problem.js";

/** Operation names are chosen by clients: past this many distinct ones, new names count as "other". */
const maxOperationNames = 200;
const operationNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The gateway's Prometheus registry: one per app, so several apps in one process keep apart. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  private readonly httpRequests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });

  private readonly graphqlOperations = new Counter({
    name: "graphql_operations_total",
    help: "GraphQL operations sent to /graphql by operation name and outcome (success or the first error code)",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });

  private readonly graphqlDuration = new Histogram({
    name: "graphql_operation_duration_seconds",
    help: "GraphQL operation latency by operation name",
    labelNames: ["operation"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: "mail_outbox_messages",
      help: "E-mail in the outbox by status: pending is the queue depth, failed gave up",
      labelNames: ["status"] as const,
      registers: [this.registry],
      // Read at scrape time, so every instance on one database reports the same shared queue.
      async collect() {
        const rows = await db
          .select({ status: mailOutbox.status, total: count() })
          .from(mailOutbox)
          .groupBy(mailOutbox.status);
        for (const status of mailStatuses) {
          this.set({ status }, rows.find((row) => row.status === status)?.total ?? 0);
        }
      },
    });
  }

  /** Counts every HTTP response under its route pattern (never the raw URL: ids and query values). */
  instrument(app: FastifyInstance): void {
    app.addHook("onResponse", async (request, reply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      };
      this.httpRequests.inc(labels);
      this.httpDuration.observe(labels, reply.elapsedTime / 1000);
    });
  }

  /** Apollo plugin: each /graphql operation by name and outcome. */
  apolloPlugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async ({ operationName, response }) => {
            const operation = this.operationLabel(operationName);
            // The formatted errors, as the client sees them: their codes are the outcome classes.
            const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
            const code = errors?.[0]?.extensions?.code;
            const outcome = !errors?.length ? "success" : typeof code === "string" ? code : "INTERNAL_SERVER_ERROR";
            this.graphqlOperations.inc({ operation, outcome });
            this.graphqlDuration.observe({ operation }, (performance.now() - started) / 1000);
          },
        };
      },
    };
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name) return "anonymous";
    if (!operationNamePattern.test(name)) return "other";
    if (!this.operationNames.has(name)) {
      if (this.operationNames.size >= maxOperationNames) return "other";
      this.operationNames.add(name);
    }
    return name;
  }
}

/** `GET /metrics`; with METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>`. */
export function registerMetricsRoute(app: FastifyInstance, metrics: GatewayMetrics, token: string | undefined): void {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  app.get("/metrics", async (request, reply) => {
    if (expected) {
      const offered = Buffer.from(request.headers.authorization ?? "");
      if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
        reply.header("www-authenticate", 'Bearer realm="metrics"');
        return sendProblem(reply, { status: 401, detail: "The metrics token is missing or wrong" });
      }
    }
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

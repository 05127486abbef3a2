import type { FastifyInstance } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { type GatewayMetrics, registerMetricsRoute } from "../http/metrics.js";

export interface MetricsOptions {
  metrics: GatewayMetrics;
  token: string | undefined;
}

/**
 * The request counters and `GET /metrics`. On the root instance (fastify-plugin) and registered
 * before the route plugins, so its onResponse hook counts every route.
 */
export const metricsPlugin = fastifyPlugin(
  async (app: FastifyInstance, { metrics, token }: MetricsOptions) => {
    metrics.instrument(app);
    registerMetricsRoute(app, metrics, token);
  },
  { name: "metrics" },
);

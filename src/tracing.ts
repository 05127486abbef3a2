import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { NodeSDK } from "@opentelemetry/sdk-node";

/** Probes and scrapes every few seconds would drown the traces that matter. */
const untraced = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * OpenTelemetry tracing to the OTLP/HTTP endpoint in OTEL_EXPORTER_OTLP_ENDPOINT (the exporter and
 * the SDK read the standard OTEL_* variables themselves). Main loads this module only when that
 * variable is set, before Fastify is imported, so the http patch is in place and a default start
 * pays nothing. Returns the flush-and-stop for shutdown.
 */
export function startTracing(): () => Promise<void> {
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? "b2b-account-gateway",
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => untraced.has((request.url ?? "").split("?")[0]!),
      }),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
}

import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import type { FastifyInstance } from "fastify";
import { createContext, type AppServices, type RequestContext } from "../context.js";
import type { CompiledExecution } from "../graphql/compiled-execution.js";
import { formatGraphqlError } from "../graphql/format-error.js";
import { idempotencyPlugin } from "../graphql/idempotency-plugin.js";
import { defaultOperationLimits, operationLimitsRule } from "../graphql/operation-limits.js";
import { storableInputPlugin } from "../graphql/storable-input.js";
import type { GatewayMetrics } from "../http/metrics.js";

export interface GraphqlOptions {
  execution: CompiledExecution;
  services: AppServices;
  metrics: GatewayMetrics;
}

/** Apollo Server with its limits and plugins, answering `/graphql`. */
export async function graphqlPlugin(
  app: FastifyInstance,
  { execution, services, metrics }: GraphqlOptions,
): Promise<void> {
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
    // Browsers opening /graphql get GraphiQL from the pages plugin, not Apollo's landing page, which
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
}

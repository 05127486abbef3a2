import type { FastifyInstance } from "fastify";
import type { GraphQLSchema } from "graphql";
import { isOpenToAnonymous, ratePoliciesOf } from "../auth/access.js";
import type { AppServices } from "../context.js";
import { registerOAuthTokenRoute } from "../features/api-clients/oauth-token.route.js";
import { features } from "../features/index.js";
import type { CompiledExecution } from "../graphql/compiled-execution.js";
import type { AccessTable } from "../graphql/rules.js";
import { registerApiDocs } from "../http/api-docs.js";
import { buildOpenApiDocument, type OpenApiInfo } from "../rest/openapi/document.js";
import { prepareRoute, registerRestRoutes } from "../rest/register.js";

export interface RestOptions {
  schema: GraphQLSchema;
  access: AccessTable;
  execution: CompiledExecution;
  services: AppServices;
  /** Filled here with the routes that take more than the default body (`METHOD /path` → bytes). */
  routeBodyLimits: Map<string, number>;
  info: OpenApiInfo;
}

/** The `/api` routes, the OAuth token endpoint and the OpenAPI document (`/openapi.json`, `/docs/json`). */
export async function restPlugin(app: FastifyInstance, options: RestOptions): Promise<void> {
  const { schema, access, execution, services, routeBodyLimits } = options;
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
  registerApiDocs(app, () =>
    buildOpenApiDocument(
      schema,
      restGroups,
      { ratePolicies: (type, field) => ratePoliciesOf(field, access[type][field], services.config) },
      options.info,
    ),
  );
}

import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { deny, shield, type IRules } from "graphql-shield";
import { buildSchema } from "type-graphql";
import type { Feature } from "../features/feature.js";
import { ForbiddenError } from "../errors.js";

export interface GatewaySchema {
  schema: GraphQLSchema;
  /** The same schema before rules were applied. */
  bare: GraphQLSchema;
  /** Root fields and the rule each has, so a test can prove every one has an explicit rule. */
  rules: { Query: Record<string, unknown>; Mutation: Record<string, unknown> };
}

/** The schema type-graphql builds from the features' resolvers, before any rule is applied. */
export async function buildBareSchema(features: readonly Feature[]): Promise<GraphQLSchema> {
  const resolvers = features.flatMap((feature) => feature.resolvers);
  return buildSchema({
    resolvers: resolvers as [Feature["resolvers"][number], ...Feature["resolvers"]],
    validate: false,
  });
}

export interface SchemaOptions {
  /** Serve as an Apollo Federation 2 subgraph: adds `_service`, `_entities` and the `@key` directives. */
  federation?: boolean;
}

/**
 * Applies the features' rules to the root fields only. Shield wraps every field it generates
 * middleware for (its fallback rule reaches every object field), which makes long lists several
 * times slower; root fields are where access is decided, so only those parts are applied.
 * A root field without a rule is denied.
 */
export async function buildGatewaySchema(
  features: readonly Feature[],
  options: SchemaOptions = {},
): Promise<GatewaySchema> {
  const typeGraphqlSchema = await buildBareSchema(features);
  // Loaded only when asked for: the federation libraries are large, and most servers do not need them.
  const federation = options.federation ? await import("./federation.js") : undefined;
  const bare = federation ? federation.buildFederatedSchema(typeGraphqlSchema, features) : typeGraphqlSchema;
  const rules = {
    Query: Object.assign({ ...federation?.federationRules }, ...features.map((feature) => feature.rules.Query ?? {})),
    Mutation: Object.assign({}, ...features.map((feature) => feature.rules.Mutation ?? {})),
  };
  const generated = shield(rules as IRules, {
    allowExternalErrors: true,
    fallbackRule: deny,
    fallbackError: () => new ForbiddenError(),
  }).generate(bare) as Record<string, unknown>;
  const rootOnly = Object.fromEntries(
    ["Query", "Mutation"].filter((name) => generated[name]).map((name) => [name, generated[name]]),
  );
  const schema = applyMiddleware(bare, rootOnly as never);
  return { schema, bare, rules };
}

/** The SDL committed as schema/schema.graphql: sorted, so the file changes only when the API does. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

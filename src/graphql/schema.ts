import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { deny, shield, type IRules } from "graphql-shield";
import type { Access } from "../auth/access.js";
import { buildSchema, getMetadataStorage } from "type-graphql";
import type { Feature } from "../features/feature.js";
import { ForbiddenError } from "../errors.js";
import { accessTable, shieldRules, type AccessTable } from "./rules.js";

export interface GatewaySchema {
  schema: GraphQLSchema;
  /** The same schema before rules were applied. */
  bare: GraphQLSchema;
  /** Root fields and the access each declares: the one table shield, REST and federation apply. */
  access: AccessTable;
}

/** The schema type-graphql builds from the features' resolvers, before any rule is applied. */
export async function buildBareSchema(features: readonly Feature[]): Promise<GraphQLSchema> {
  const resolvers = features.flatMap((feature) => feature.resolvers);
  // Every field of these types is a plain property: no getters, no field middlewares and no
  // @Authorized (the rules below own authorization). So graphql's default resolver reads it, inline
  // in compiled execution; type-graphql's own would build its arguments and run an empty
  // middleware chain for every field of every row of a list.
  for (const type of getMetadataStorage().objectTypes) type.simpleResolvers ??= true;
  return buildSchema({
    resolvers: resolvers as [Feature["resolvers"][number], ...Feature["resolvers"]],
    validate: false,
    // type-graphql would otherwise run the whole introspection query over the new schema to find
    // errors, a sixth of start-up's CPU. graphql-js asserts the schema valid before it validates the
    // first operation on it anyway, and test/schema.test.ts validates every REST route against it.
    skipCheck: true,
  });
}

export interface SchemaOptions {
  /** Serve as an Apollo Federation 2 subgraph: adds `_service`, `_entities` and the `@key` directives. */
  federation?: boolean;
}

/** Every root field's declared access, federation's two fields included when served. */
export function gatewayAccess(
  features: readonly Feature[],
  federation?: { Query: Record<string, Access> },
): AccessTable {
  return accessTable([...(federation ? [federation] : []), ...features.map((feature) => feature.access)]);
}

/**
 * Applies the shield rules made from the features' declarations to the root fields only. Shield wraps every field it generates
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
  const access = gatewayAccess(features, federation?.federationAccess);
  const bare = federation ? federation.buildFederatedSchema(typeGraphqlSchema, features, access) : typeGraphqlSchema;
  const generated = shield(shieldRules(access) as IRules, {
    allowExternalErrors: true,
    fallbackRule: deny,
    fallbackError: () => new ForbiddenError(),
  }).generate(bare) as Record<string, unknown>;
  const rootOnly = Object.fromEntries(
    ["Query", "Mutation"].filter((name) => generated[name]).map((name) => [name, generated[name]]),
  );
  const schema = applyMiddleware(bare, rootOnly as never);
  return { schema, bare, access };
}

/** The SDL committed as schema/schema.graphql: sorted, so the file changes only when the API does. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

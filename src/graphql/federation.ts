import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { isObjectType, parse, type GraphQLSchema } from "graphql";
import { createResolversMap } from "type-graphql";
import type { RequestContext } from "../context.js";
import { BadInputError } from "../errors.js";
import type { EntityResolver, Feature } from "../features/feature.js";
import { hasAccess, isPublic } from "./rules.js";

const federationLink = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`;

/**
 * The rules of the root fields a subgraph adds. `_service` is public: a router or `rover` fetches
 * the SDL at composition time without a user's token, and it is the schema introspection already
 * shows. `_entities` needs an access token; each representation then passes its type's own check.
 */
export const federationRules = { _service: isPublic, _entities: hasAccess };

/**
 * The type-graphql schema as an Apollo Federation 2 subgraph: its SDL with the `@key` directives
 * the types declare, its resolvers, and a `__resolveReference` per keyed type from the features.
 */
export function buildFederatedSchema(bare: GraphQLSchema, features: readonly Feature[]): GraphQLSchema {
  const entities: Record<string, EntityResolver> = Object.assign({}, ...features.map((feature) => feature.entities));
  const resolvers = createResolversMap(bare) as Record<string, object>;
  for (const typeName of keyedTypes(bare)) {
    const entity = entities[typeName];
    if (!entity) throw new Error(`${typeName} declares @key but no feature resolves it as an entity`);
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: referenceResolver(entity) };
  }
  const typeDefs = parse(`${federationLink}\n${printSchemaWithDirectives(bare)}`);
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}

function keyedTypes(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && type.astNode?.directives?.some((d) => d.name.value === "key"))
    .map((type) => type.name);
}

function referenceResolver(entity: EntityResolver) {
  return async (reference: { id?: unknown }, ctx: RequestContext) => {
    await entity.check(ctx, {});
    if (typeof reference.id !== "string" || !reference.id) {
      throw new BadInputError("An entity representation must carry its id as a string");
    }
    return entity.find(ctx, reference.id);
  };
}

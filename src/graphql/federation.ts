import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { isObjectType, parse, type GraphQLSchema } from "graphql";
import { createResolversMap } from "type-graphql";
import type { RequestContext } from "../context.js";
import { BadInputError } from "../errors.js";
import { anyone, member } from "../auth/access.js";
import type { EntityResolver, Feature } from "../features/feature.js";
import { checkAccess, type AccessTable } from "./rules.js";

const federationLink = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`;

/**
 * The access of the root fields a subgraph adds. `_service` is public: a router or `rover` fetches
 * the SDL at composition time without a user's token, and it is the schema introspection already
 * shows. `_entities` needs an organization token; each representation then passes the declared
 * access of the root queries that read its type.
 */
export const federationAccess = { Query: { _service: anyone, _entities: member } };

/**
 * The type-graphql schema as an Apollo Federation 2 subgraph: its SDL with the `@key` directives
 * the types declare, its resolvers, and a `__resolveReference` per keyed type from the features.
 */
export function buildFederatedSchema(
  bare: GraphQLSchema,
  features: readonly Feature[],
  access: AccessTable,
): GraphQLSchema {
  const entities: Record<string, EntityResolver> = Object.assign({}, ...features.map((feature) => feature.entities));
  const resolvers = createResolversMap(bare) as Record<string, object>;
  for (const typeName of keyedTypes(bare)) {
    const entity = entities[typeName];
    if (!entity) throw new Error(`${typeName} declares @key but no feature resolves it as an entity`);
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: referenceResolver(entity, access) };
  }
  const typeDefs = parse(`${federationLink}\n${printSchemaWithDirectives(bare)}`);
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}

function keyedTypes(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && type.astNode?.directives?.some((d) => d.name.value === "key"))
    .map((type) => type.name);
}

/** Passes when any of the entity's root queries would admit the caller; else the first refusal. */
export async function checkEntityAccess(ctx: RequestContext, entity: EntityResolver, access: AccessTable) {
  let refusal: unknown;
  for (const field of entity.readAs) {
    const declared = access.Query[field];
    if (!declared) throw new Error(`an entity is read as Query.${field}, which declares no access`);
    try {
      return await checkAccess(ctx, field, declared);
    } catch (error) {
      refusal ??= error;
    }
  }
  throw refusal;
}

function referenceResolver(entity: EntityResolver, access: AccessTable) {
  return async (reference: { id?: unknown }, ctx: RequestContext) => {
    await checkEntityAccess(ctx, entity, access);
    if (typeof reference.id !== "string" || !reference.id) {
      throw new BadInputError("An entity representation must carry its id as a string");
    }
    return entity.find(ctx, reference.id);
  };
}

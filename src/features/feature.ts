import type { and } from "graphql-shield";
import type { NonEmptyArray } from "type-graphql";
import type { RequestContext } from "../context.js";
import type { Check } from "../graphql/rules.js";
import type { RestRoute } from "../rest/route.js";

/** Any rule shield accepts (its own type is not exported). */
export type ShieldRule = Parameters<typeof and>[number];

/** Everything one capability contributes: resolvers, the rule of each root field, REST routes. */
export interface Feature {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql takes resolver classes
  resolvers: NonEmptyArray<Function>;
  rules: {
    Query?: Record<string, ShieldRule>;
    Mutation?: Record<string, ShieldRule>;
  };
  routes: RestRoute[];
  /** How a supergraph router fetches each of the feature's `@key(fields: "id")` types (FEDERATION=true). */
  entities?: Record<string, EntityResolver>;
}

/** One entity type's `__resolveReference`: the type's root-query role check, then a scoped lookup. */
export interface EntityResolver {
  /** Throws AppError when the caller's roles may not read this type, as the type's root query would. */
  check: Check;
  /** The entity when it exists within the caller's organization and reach; null otherwise, never a hint why. */
  find: (ctx: RequestContext, id: string) => Promise<object | null>;
}

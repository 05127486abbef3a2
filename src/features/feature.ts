import type { NonEmptyArray } from "type-graphql";
import type { AccessDeclarations } from "../auth/access.js";
import type { RequestContext } from "../context.js";
import type { RestRoute } from "../rest/route.js";

/** Everything one capability contributes: resolvers, what each root field requires, REST routes. */
export interface Feature {
  name: string;
  /** One line on what it serves; the OpenAPI document's tag of its routes says it. */
  description: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql takes resolver classes
  resolvers: NonEmptyArray<Function>;
  /** One declaration per root field (src/auth/access.ts); shield, REST and federation apply it. */
  access: AccessDeclarations;
  routes: RestRoute[];
  /** How a supergraph router fetches each of the feature's `@key(fields: "id")` types (FEDERATION=true). */
  entities?: Record<string, EntityResolver>;
}

/** One entity type's `__resolveReference`: the access of the root queries that read it, then a scoped lookup. */
export interface EntityResolver {
  /** Query fields whose declared access admits a caller to this type; any one of them suffices. */
  readAs: readonly [string, ...string[]];
  /** The entity when it exists within the caller's organization and reach; null otherwise, never a hint why. */
  find: (ctx: RequestContext, id: string) => Promise<object | null>;
}

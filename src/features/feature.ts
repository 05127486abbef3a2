import type { and } from "graphql-shield";
import type { NonEmptyArray } from "type-graphql";
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
}

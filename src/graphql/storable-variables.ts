import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import { findUnstorableText } from "../storable-text.js";

/**
 * Refuses an operation whose variables hold text PostgreSQL cannot store, before it runs, naming
 * the variable. Literals in the document need no check: the GraphQL lexer already refuses U+0000
 * and lone surrogates in strings.
 */
export const storableVariablesPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request }) {
        const found = findUnstorableText(request.variables ?? {});
        if (found) {
          throw new GraphQLError(`Variable $${found.path} ${found.problem}`, {
            extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
          });
        }
      },
    };
  },
};

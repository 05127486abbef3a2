import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, visit, type DocumentNode } from "graphql";
import { findUnstorableText, textProblem, type UnstorableText } from "../storable-text.js";

function findInLiterals(document: DocumentNode): UnstorableText | undefined {
  let found: UnstorableText | undefined;
  // visit() walks without recursion, so a deep document is safe here.
  visit(document, {
    StringValue(node) {
      const problem = found ? undefined : textProblem(node.value);
      if (problem) found = { path: `at line ${node.loc?.startToken.line ?? 1}`, problem };
    },
  });
  return found;
}

/**
 * Refuses an operation holding text PostgreSQL cannot store (U+0000, lone surrogates) in its
 * variables or its string literals (the lexer accepts `\u0000`), before it runs: BAD_USER_INPUT,
 * HTTP 400, naming the variable or the literal's line.
 */
export const storableInputPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const variable = findUnstorableText(request.variables ?? {});
        const literal = variable ? undefined : findInLiterals(document);
        const message = variable
          ? `Variable $${variable.path} ${variable.problem}`
          : literal && `The string literal ${literal.path} ${literal.problem}`;
        if (message) {
          throw new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
        }
      },
    };
  },
};

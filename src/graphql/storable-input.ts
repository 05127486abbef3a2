import type { ApolloServerPlugin, GraphQLRequestListener, BaseContext } from "@apollo/server";
import { GraphQLError, visit, type DocumentNode } from "graphql";
import { scannedStorable } from "../json-body.js";
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

/** A document's literals never change: Apollo keeps parsed documents, so each is walked once. */
const literalsChecked = new WeakMap<DocumentNode, UnstorableText | null>();

function unstorableLiteral(document: DocumentNode): UnstorableText | undefined {
  let found = literalsChecked.get(document);
  if (found === undefined) {
    found = findInLiterals(document) ?? null;
    literalsChecked.set(document, found);
  }
  return found ?? undefined;
}

// One listener for every request: it keeps no state of its own.
const listener: GraphQLRequestListener<BaseContext> = {
  async didResolveOperation({ request, document }) {
    // Variables from a JSON body the parser found surely storable need no walk of their own.
    const variable = scannedStorable(request.variables) ? undefined : findUnstorableText(request.variables ?? {});
    const literal = variable ? undefined : unstorableLiteral(document);
    const message = variable
      ? `Variable $${variable.path} ${variable.problem}`
      : literal && `The string literal ${literal.path} ${literal.problem}`;
    if (message) {
      throw new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
    }
  },
};

/**
 * Refuses an operation holding text PostgreSQL cannot store (U+0000, lone surrogates) in its
 * variables or its string literals (the lexer accepts `\u0000`), before it runs: BAD_USER_INPUT,
 * HTTP 400, naming the variable or the literal's line.
 */
export const storableInputPlugin: ApolloServerPlugin = {
  requestDidStart: async () => listener,
};

import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from "@apollo/server";
import type { FormattedExecutionResult } from "graphql";
import type { RequestContext } from "../context.js";
import {
  abandonIdempotencyKey,
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyKeyProblem,
  idempotencyScope,
  isReplayable,
  requestFingerprint,
  type IdempotencyClaim,
} from "../features/idempotency/idempotency.service.js";

/** The key of a request: the `idempotencyKey` extension, else the Idempotency-Key header. */
function keyOf(extensions: Record<string, unknown> | undefined, header: string | undefined): unknown {
  return extensions?.idempotencyKey ?? header;
}

function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: [string, string][] = [],
): GraphQLResponse {
  return {
    http: { status, headers: new HeaderMap(headers) },
    body: { kind: "single", singleResult: { errors: [{ message, extensions: { code } }] } },
  };
}

/**
 * Idempotency keys for mutations: the first answer is kept for the caller, and a retry with the
 * same key, document and variables gets it again (`Idempotent-Replayed: true`) instead of running
 * again. Queries ignore the key: running them twice changes nothing.
 */
export const idempotencyPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart({ request }) {
    const key = keyOf(request.extensions, request.http?.headers.get("idempotency-key"));
    if (key === undefined) return;
    let claim: Extract<IdempotencyClaim, { kind: "first" }> | undefined;
    return {
      async responseForOperation({ operation, contextValue }) {
        if (operation.operation !== "mutation") return null;
        const scope = await idempotencyScope(contextValue.auth);
        if (!scope) return null;
        const problem = typeof key === "string" ? idempotencyKeyProblem(key) : "must be a string";
        if (problem) return errorResponse(400, "BAD_USER_INPUT", `idempotencyKey ${problem}`);
        const outcome = await claimIdempotencyKey(contextValue.db, {
          scope,
          key: key as string,
          fingerprint: requestFingerprint([
            "graphql",
            request.query,
            request.operationName ?? null,
            request.variables ?? {},
          ]),
          ttlHours: contextValue.config.IDEMPOTENCY_KEY_TTL_HOURS,
        });
        switch (outcome.kind) {
          case "first":
            claim = outcome;
            return null;
          case "mismatch":
            return errorResponse(422, "BAD_USER_INPUT", "This idempotency key was used with a different request");
          case "running":
            return errorResponse(409, "CONFLICT", "A request with this idempotency key is still running; retry later", [
              ["retry-after", "1"],
            ]);
          case "replay":
            return {
              http: { status: outcome.answer.status, headers: new HeaderMap([["idempotent-replayed", "true"]]) },
              body: {
                kind: "single",
                singleResult: JSON.parse(outcome.answer.body) as FormattedExecutionResult,
              },
            };
        }
      },

      async willSendResponse({ response, contextValue }) {
        if (!claim) return;
        const first = claim;
        claim = undefined;
        const status = response.http.status ?? 200;
        const result = response.body.kind === "single" ? response.body.singleResult : undefined;
        // An operation that failed on our side (or was turned away by a limit) runs again on retry.
        const failed = result?.errors?.some((error) =>
          ["INTERNAL_SERVER_ERROR", "TOO_MANY_REQUESTS", "UNAUTHENTICATED"].includes(String(error.extensions?.code)),
        );
        const keep =
          result && !failed && isReplayable(status)
            ? completeIdempotencyKey(contextValue.db, first, { status, headers: {}, body: JSON.stringify(result) })
            : abandonIdempotencyKey(contextValue.db, first);
        // The change has happened: failing to keep its answer must not turn it into an error.
        await keep.catch((error: unknown) => contextValue.log.warn({ err: error }, "idempotency key answer not kept"));
      },
    };
  },
};

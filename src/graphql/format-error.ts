import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { classifyError, type ClientError } from "../errors.js";

/** Codes Apollo and graphql-js give to problems with the request itself; clients branch on them. */
const requestCodes = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_HASH_MISMATCH",
]);

/**
 * Apollo answers a persisted-query hash that does not match its query with HTTP 400 but no code;
 * this is its message (requestPipeline.ts), given the code Apollo's clients know from the router.
 */
const hashMismatch = "provided sha does not match query";

/** graphql-js's parser misspells its token-limit message ("more that"); clients read ours. */
const tokenLimit = /more that (\d+) tokens/;

function requestMessage(code: string, message: string): string {
  if (code === "PERSISTED_QUERY_HASH_MISMATCH")
    return "The persisted query's sha256Hash is not the SHA-256 of its query";
  return message.replace(tokenLimit, "more than $1 tokens");
}

function requestCode(formatted: GraphQLFormattedError): string {
  const code = formatted.extensions?.code;
  if (formatted.message === hashMismatch) return "PERSISTED_QUERY_HASH_MISMATCH";
  return typeof code === "string" && requestCodes.has(code) ? code : "BAD_USER_INPUT";
}

/**
 * Apollo's formatError: errors about the request (syntax, validation, variables, persisted
 * queries) keep Apollo's standard code; everything raised while executing goes through the one
 * classifier shared with REST.
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
  report: (error: unknown) => void,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const isRequestError = original instanceof GraphQLError && !formatted.path;
  if (isRequestError) {
    const code = requestCode(formatted);
    return {
      message: requestMessage(code, formatted.message),
      locations: formatted.locations,
      extensions: { code },
    };
  }
  return { path: formatted.path, ...toFormatted(classifyError(original, report)) };
}

function toFormatted({ code, message, errors, retryAfter }: ClientError): GraphQLFormattedError {
  const extensions: Record<string, unknown> = { code };
  if (errors) extensions.errors = errors;
  if (retryAfter !== undefined) extensions.retryAfter = retryAfter;
  return { message, extensions };
}

import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { BadInputError, ForbiddenError, TooManyRequestsError } from "../../src/errors.js";
import { formatGraphqlError } from "../../src/graphql/format-error.js";

/** What Apollo hands formatError: the formatted error with its code, and the error itself. */
function format(error: GraphQLError, code?: string) {
  const report = vi.fn();
  const formatted: GraphQLFormattedError = { ...error.toJSON(), extensions: code ? { code } : {} };
  return { result: formatGraphqlError(formatted, error, report), report };
}

const location = [{ line: 1, column: 3 }];
const executionError = (original: unknown) =>
  new GraphQLError(original instanceof Error ? original.message : String(original), {
    path: ["customers", 0, "id"],
    originalError: original instanceof Error ? original : undefined,
  });

describe("formatGraphqlError: request errors", () => {
  it.each([
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_USER_INPUT",
    "BAD_REQUEST",
    "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_NOT_SUPPORTED",
    "OPERATION_RESOLUTION_FAILURE",
  ])("keeps Apollo's %s with the message and locations", (code) => {
    const error = new GraphQLError('Cannot query field "secret" on type "Query".', {
      source: undefined,
      positions: undefined,
    });
    const { result, report } = format(Object.assign(error, { locations: location }), code);
    expect(result).toEqual({
      message: 'Cannot query field "secret" on type "Query".',
      locations: location,
      extensions: { code },
    });
    expect(report).not.toHaveBeenCalled();
  });

  it("gives a request error without a known code BAD_USER_INPUT and drops other extensions", () => {
    const error = new GraphQLError('Variable "$id" got invalid value', { extensions: { stacktrace: ["at x"] } });
    const { result } = format(error, "SOMETHING_ELSE");
    expect(result).toEqual({
      message: 'Variable "$id" got invalid value',
      locations: undefined,
      extensions: { code: "BAD_USER_INPUT" },
    });
  });
});

describe("formatGraphqlError: execution errors", () => {
  it("classifies our own errors, keeping their code, field errors and retry time", () => {
    expect(format(executionError(BadInputError.field("email", "is required")), "INTERNAL_SERVER_ERROR").result).toEqual(
      {
        path: ["customers", 0, "id"],
        message: "email is required",
        extensions: { code: "BAD_USER_INPUT", errors: { email: "is required" } },
      },
    );
    expect(format(executionError(new ForbiddenError())).result).toEqual({
      path: ["customers", 0, "id"],
      message: "Your token does not grant access to this operation",
      extensions: { code: "FORBIDDEN" },
    });
    expect(format(executionError(new TooManyRequestsError(7))).result.extensions).toEqual({
      code: "TOO_MANY_REQUESTS",
      retryAfter: 7,
    });
  });

  it("hides anything else behind one internal error and reports the original once", () => {
    const leak = new Error('relation "customers" does not exist at character 15: select * from customers');
    const { result, report } = format(executionError(leak), "INTERNAL_SERVER_ERROR");
    expect(result).toEqual({
      path: ["customers", 0, "id"],
      message: "An unexpected error occurred",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(JSON.stringify(result)).not.toMatch(/relation|select|stack/i);
    expect(report).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith(leak);
  });

  it("treats a GraphQLError raised by a resolver, with a path, as internal", () => {
    const thrown = new GraphQLError("Expected Iterable, but did not find one for field", { path: ["customers"] });
    const { result, report } = format(thrown, "INTERNAL_SERVER_ERROR");
    expect(result).toEqual({
      path: ["customers"],
      message: "An unexpected error occurred",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(report).toHaveBeenCalledWith(thrown);
  });

  it("classifies an error that is not a GraphQLError at all", () => {
    const report = vi.fn();
    const formatted = { message: "boom", path: ["x"], extensions: { code: "INTERNAL_SERVER_ERROR" } };
    expect(formatGraphqlError(formatted, new Error("boom"), report)).toEqual({
      path: ["x"],
      message: "An unexpected error occurred",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(report).toHaveBeenCalledTimes(1);
  });
});

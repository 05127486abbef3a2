import { GraphQLError, type GraphQLFormattedError } from "graphql";

/** The only codes a client ever sees in `extensions.code`. */
export const errorCodes = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
  "INTERNAL_SERVER_ERROR",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Validation messages keyed by input field (`user.email`), shown to REST clients as `errors`. */
export type FieldErrors = Record<string, string>;

/** The one error model: services throw these, GraphQL and REST render them. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "A valid bearer token is required") {
    super("UNAUTHENTICATED", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "Your token does not grant access to this operation") {
    super("FORBIDDEN", message);
  }
}

export class BadInputError extends AppError {
  constructor(message: string, errors?: FieldErrors) {
    super("BAD_USER_INPUT", message, errors ? { errors } : {});
  }
  /** One invalid field: the message names it. */
  static field(field: string, problem: string): BadInputError {
    return new BadInputError(`${field} ${problem}`, { [field]: problem });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, errors?: FieldErrors) {
    super("CONFLICT", message, errors ? { errors } : {});
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super("TOO_MANY_REQUESTS", "Too many requests; try again later", { retryAfter: retryAfterSeconds });
  }
}

const internal: GraphQLFormattedError = {
  message: "Internal server error",
  extensions: { code: "INTERNAL_SERVER_ERROR" },
};

const knownCodes = new Set<string>(errorCodes);

/**
 * Maps any execution error to what a client may see: our own codes pass through, errors the
 * graphql library raises about the request itself are bad input, anything else is internal and is
 * handed to `report` so it can be logged with its details.
 */
export function toClientError(
  formatted: GraphQLFormattedError,
  error: unknown,
  report: (error: unknown) => void,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const code = formatted.extensions?.code;
  if (typeof code === "string" && knownCodes.has(code) && code !== "INTERNAL_SERVER_ERROR") {
    return { message: formatted.message, path: formatted.path, extensions: pickExtensions(formatted) };
  }
  // Errors about the request (syntax, validation, variable coercion) have no resolver path.
  const isRequestError =
    original instanceof GraphQLError &&
    !original.originalError &&
    !formatted.path &&
    (code === undefined || isGraphqlRequestCode(code));
  if (isRequestError) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: "BAD_USER_INPUT" } };
  }
  report(original);
  return { ...internal, path: formatted.path };
}

function isGraphqlRequestCode(code: unknown): boolean {
  return (
    code === "GRAPHQL_PARSE_FAILED" ||
    code === "GRAPHQL_VALIDATION_FAILED" ||
    code === "BAD_REQUEST" ||
    code === "PERSISTED_QUERY_NOT_FOUND" ||
    code === "OPERATION_RESOLUTION_FAILURE"
  );
}

function pickExtensions(formatted: GraphQLFormattedError): Record<string, unknown> {
  const { code, errors, retryAfter } = formatted.extensions ?? {};
  return Object.fromEntries(Object.entries({ code, errors, retryAfter }).filter(([, v]) => v !== undefined));
}

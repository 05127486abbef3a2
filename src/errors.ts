import { isDatabaseUnavailable, isUniqueViolation } from "./db/errors.js";

/**
 * The one error model. Services throw these; each transport maps them once: GraphQL to
 * `extensions.code`, REST to a status and problem details. Nothing here knows either transport.
 */

/** The only codes a client ever sees. */
export const errorCodes = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
  "SERVICE_UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Validation messages keyed by input field (`user.email`), shown to REST clients as `errors`. */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  override name = "AppError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldErrors; retryAfter?: number } = {},
  ) {
    super(message);
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

/** What a client may be told about a failure. */
export interface ClientError {
  code: ErrorCode;
  message: string;
  errors?: FieldErrors;
  retryAfter?: number;
}

const internal: ClientError = { code: "INTERNAL_SERVER_ERROR", message: "An unexpected error occurred" };

/** Seconds a client should wait before retrying when the database is briefly out of reach. */
export const unavailableRetryAfterSeconds = 2;

/** The database restarting, unreachable or too slow: nothing about the request, worth a retry. */
export const unavailable: ClientError = {
  code: "SERVICE_UNAVAILABLE",
  message: "The service is briefly unavailable; try again shortly",
  retryAfter: unavailableRetryAfterSeconds,
};

const duplicate: ClientError = {
  code: "CONFLICT",
  message: "This conflicts with a record that already exists (perhaps created by a concurrent request)",
};

/**
 * The one place that decides whether a failure is the client's or ours. Our own errors pass
 * through; anything else is internal: `report` gets it (to log it with its details) and the
 * client gets a message that says nothing about it.
 */
export function classifyError(error: unknown, report: (error: unknown) => void): ClientError {
  if (error instanceof AppError && error.code !== "INTERNAL_SERVER_ERROR") {
    return { code: error.code, message: error.message, ...error.details };
  }
  report(error);
  if (isDatabaseUnavailable(error)) return unavailable;
  // Services name the constraints they expect; one they did not is still the caller's duplicate,
  // not our failure. It is reported all the same, so the path gets its own message.
  return isUniqueViolation(error) ? duplicate : internal;
}

import { DatabaseTimeoutError } from "./bounded-client.js";

/**
 * Drizzle wraps driver errors and puts the SQL and its parameters in the message, so callers
 * look only at the SQLSTATE and constraint name, never forward the message.
 */
interface DriverError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
}

function driverError(error: unknown): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current && typeof current === "object"; depth++) {
    const candidate = current as DriverError & { cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return undefined;
}

/** True for a unique violation, optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const found = driverError(error);
  if (found?.code !== "23505") return false;
  if (!constraint) return true;
  return (found.constraint ?? found.constraint_name) === constraint;
}

export function isForeignKeyViolation(error: unknown): boolean {
  return driverError(error)?.code === "23503";
}

/** postgres.js's own codes for a connection that is gone. */
const driverCodes = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"]);

/** Node's codes for a network that failed; the database's only when the driver failed a query with one. */
const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a server that is going away, starting, full or that cancelled the statement
 * (statement_timeout, or the pool's acquire bound); class 08 is every connection exception.
 */
const unavailableStates = new Set(["57P01", "57P02", "57P03", "53300", "57014"]);

/**
 * True when the failure is the database being unreachable, restarting or too slow rather than
 * anything about the request: the client should retry shortly (503 with Retry-After).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    if (current instanceof DatabaseTimeoutError) return true;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string") {
      if (driverCodes.has(code) || unavailableStates.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
      // postgres.js gives every error it fails a query with the query's text.
      if (networkCodes.has(code) && "query" in current) return true;
    }
    current = cause;
  }
  return false;
}

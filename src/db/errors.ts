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

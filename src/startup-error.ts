import { ConfigError } from "./config.js";

interface SystemError {
  code?: string;
  address?: string;
  port?: number;
  message?: string;
  cause?: unknown;
}

/**
 * One line for an operator when start-up fails for a reason of theirs (configuration, key,
 * database, port), or null for a bug, which deserves its stack.
 */
export function describeStartupError(error: unknown): string | null {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof Error && (error.name === "KeyConfigError" || error.name === "DataDirInUseError")) {
    return error.message;
  }
  const system = findSystemError(error);
  if (!system) return null;
  const where = system.address ? ` ${system.address}${system.port ? `:${system.port}` : ""}` : "";
  switch (system.code) {
    case "EADDRINUSE":
      return `Cannot listen on${where}: the port is already in use (set PORT or HOST)`;
    case "EACCES":
      return `Cannot listen on${where}: permission denied (choose a port above 1023)`;
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
      return `Cannot reach the database${where} (${system.code}): check DATABASE_URL and that PostgreSQL is running`;
    case "28P01":
    case "28000":
      return "The database refused the credentials in DATABASE_URL";
    case "3D000":
      return "The database named in DATABASE_URL does not exist";
    default:
      return null;
  }
}

function findSystemError(error: unknown): SystemError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const candidate = current as SystemError;
    if (typeof candidate.code === "string") return candidate;
    // AggregateError (a host with several addresses) carries the per-address failures.
    const nested = (current as { errors?: unknown[] }).errors?.[0];
    current = candidate.cause ?? nested;
  }
  return undefined;
}

import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import type { FastifyBaseLogger } from "fastify";

const driverPath = /node_modules\/postgres\//;
const framePattern = /\(?((?:file:\/\/)?\/[^()\s]+):(\d+):(\d+)\)?$/;
const maps = new Map<string, SourceMap | undefined>();

/** The bundle (dist/) names its chunks in stack frames; its source maps name the modules inside. */
function sourceMap(path: string): SourceMap | undefined {
  if (!maps.has(path)) {
    const file = `${path}.map`;
    maps.set(path, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, "utf8"))) : undefined);
  }
  return maps.get(path);
}

/**
 * True when the first frame of the error's stack outside Node itself is the database driver's
 * code (postgres.js in node_modules, or bundled into dist/ as its source map says): an exception
 * the driver threw from one of its own callbacks, where no caller could catch it.
 */
export function thrownByDriver(error: unknown): boolean {
  const stack = error instanceof Error ? error.stack : undefined;
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const frame = framePattern.exec(line.trim());
    if (!frame) continue;
    const [, location, row, column] = frame as unknown as [string, string, string, string];
    const path = location.startsWith("file://") ? fileURLToPath(location) : location;
    if (driverPath.test(path)) return true;
    const entry = sourceMap(path)?.findEntry(Number(row) - 1, Number(column) - 1);
    const original = entry && "originalSource" in entry ? entry.originalSource : undefined;
    return original !== undefined && driverPath.test(original);
  }
  return false;
}

/** Where the database listens, as the connection URL names it. */
export interface DatabaseEndpoint {
  host: string;
  port: number;
}

/**
 * True for a failed connection attempt to the database (ECONNREFUSED while it restarts, say) that
 * reached the process uncaught: Node throws a socket's error from its own callback when the socket
 * has no error listener, so the stack has no frame of the driver, but only the driver opens
 * connections to this address. Node names the address it tried, so a host name in the URL is
 * matched by port alone.
 */
export function refusedByDatabase(error: unknown, endpoint: DatabaseEndpoint | undefined): boolean {
  if (!endpoint || !(error instanceof Error)) return false;
  const { syscall, port, address } = error as Error & { syscall?: unknown; port?: unknown; address?: unknown };
  if (syscall !== "connect" || port !== endpoint.port) return false;
  return isIP(endpoint.host) === 0 || address === endpoint.host;
}

export interface FaultGuardOptions {
  log: FastifyBaseLogger;
  /** The database's address: an uncaught connection error to it is the driver's (refusedByDatabase). */
  database?: DatabaseEndpoint;
  /** Rebuilds what a driver fault may have left inconsistent (the connection pool). */
  recover: () => Promise<void> | undefined;
  exit?: (code: number) => void;
}

/**
 * What the process does with an exception nothing caught. One thrown by the database driver's own
 * code is a fault of one connection, not of the process: it is logged, the pool is replaced, and
 * requests go on (the driver is patched against the faults known so far; this is the last resort
 * for the next one). Anything else still ends the process, as Node would: its state is unknown.
 */
export function faultHandler({
  log,
  recover,
  database,
  exit = process.exit,
}: FaultGuardOptions): (error: unknown) => void {
  let recovering: Promise<void> | undefined;
  return (error) => {
    if (thrownByDriver(error) || refusedByDatabase(error, database)) {
      log.error({ err: error }, "database driver fault: replacing the connection pool, the process carries on");
      recovering ??= Promise.resolve(recover())
        .catch((failure: unknown) => log.error({ err: failure }, "the connection pool could not be replaced"))
        .finally(() => (recovering = undefined));
      return;
    }
    log.fatal({ err: error }, "uncaught exception: the process exits");
    exit(1);
  };
}

/** Installs the handler for uncaught exceptions and unhandled rejections of the whole process. */
export function guardProcess(options: FaultGuardOptions): void {
  const handle = faultHandler(options);
  process.on("uncaughtException", handle);
  process.on("unhandledRejection", handle);
}

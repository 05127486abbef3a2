import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";

/** How long a request may wait on the database, per wait; `openDatabase` defaults. */
export interface DatabaseTimeouts {
  /** One connection attempt: TCP, TLS, start-up and authentication. */
  connectMs: number;
  /** From a statement's arrival at the pool until a connection runs it (connecting included). */
  acquireMs: number;
  /** One statement on the server (PostgreSQL's statement_timeout); the client gives up a second later. */
  statementMs: number;
}

export const defaultTimeouts: DatabaseTimeouts = { connectMs: 5000, acquireMs: 5000, statementMs: 10_000 };

/** A wait on the database that ran out; the request answers 503 with Retry-After. */
export class DatabaseTimeoutError extends Error {
  override name = "DatabaseTimeoutError";
  constructor(
    readonly wait: "acquire" | "statement",
    readonly afterMs: number,
  ) {
    super(
      wait === "acquire"
        ? `no database connection within ${afterMs} ms`
        : `no answer from the database within ${afterMs} ms`,
    );
  }
}

/** postgres.js's query internals the bounds work with (3.4.9, as patched in patches/). */
interface DriverQuery {
  /** Set once the query is written to a connection. */
  state: unknown;
  handler: (query: DriverQuery) => unknown;
  reject: (error: unknown) => void;
  cancel(): unknown;
  then(onSettled: () => void, onRejected: () => void): unknown;
}

/** Grace on top of statement_timeout before the client stops waiting for the server's own answer. */
const statementGraceMs = 1000;

/**
 * Bounds a query's waits once the pool takes it: still waiting for a connection after
 * `acquireMs`, it is taken out of the pool's queue (cancel) and fails; running longer than the
 * server's own statement_timeout plus a grace (a server that stopped answering), it fails while
 * the connection carries on. Either failure is a DatabaseTimeoutError.
 */
function bound(query: DriverQuery, timeouts: DatabaseTimeouts): void {
  const enter = query.handler;
  query.handler = (entered) => {
    const reject = entered.reject;
    let timer = setTimeout(() => {
      if (!entered.state) {
        // The pool's cancel rejects a query it has not sent with a "canceled by user" error.
        entered.reject = () => reject(new DatabaseTimeoutError("acquire", timeouts.acquireMs));
        entered.cancel();
        return;
      }
      timer = setTimeout(
        () => reject(new DatabaseTimeoutError("statement", timeouts.statementMs)),
        timeouts.statementMs + statementGraceMs,
      );
    }, timeouts.acquireMs);
    const clear = () => clearTimeout(timer);
    entered.then(clear, clear);
    return enter(entered);
  };
}

/**
 * A postgres.js pool whose waits are bounded, and which can be replaced whole. `unsafe` is
 * replaced on the pool itself, not wrapped around it: drizzle runs every statement through it, and
 * so does postgres.js's own `begin`, so a transaction waiting for a connection is bounded too.
 * Statements inside a transaction hold their connection already: statement_timeout bounds them.
 */
function boundedPool(url: string, poolSize: number, timeouts: DatabaseTimeouts): postgres.Sql {
  const pool = postgres(url, {
    max: poolSize,
    onnotice: () => undefined,
    connect_timeout: timeouts.connectMs / 1000,
    // The default backoff reaches 20 s after a few refused connections, so a pool would wait long
    // after the server is back; capped at a second, with jitter for instances reconnecting together.
    backoff: (attempt: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** attempt, 1),
    connection: { application_name: "b2b-account-gateway", statement_timeout: timeouts.statementMs },
  });
  const unsafe = pool.unsafe;
  pool.unsafe = ((...args: Parameters<typeof unsafe>) => {
    const query = unsafe(...args);
    bound(query as unknown as DriverQuery, timeouts);
    return query;
  }) as typeof unsafe;
  return pool;
}

/**
 * The application's one pool, behind a stable handle drizzle keeps. `replace()` swaps in a new
 * pool and ends the old one once its running statements are done: the last-resort recovery when
 * a driver fault may have left the old pool's state inconsistent.
 */
export function replaceablePool(url: string, poolSize: number, timeouts: DatabaseTimeouts) {
  let current = boundedPool(url, poolSize, timeouts);
  const handle = new Proxy(current, {
    get: (_target, property) => Reflect.get(current, property),
    apply: (_target, thisArg, args) => Reflect.apply(current, thisArg, args),
  });
  return {
    sql: handle,
    async replace(): Promise<void> {
      const old = current;
      current = boundedPool(url, poolSize, timeouts);
      // Drizzle sets its type parsers on the pool it is given (the first one, through the handle);
      // building a throw-away instance on the new pool sets the same ones there.
      drizzlePostgres({ client: current });
      await old.end({ timeout: Math.ceil((timeouts.statementMs + statementGraceMs) / 1000) });
    },
    end: (timeoutSeconds: number) => current.end({ timeout: timeoutSeconds }),
  };
}

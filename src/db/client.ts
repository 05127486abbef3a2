import type { PGlite } from "@electric-sql/pglite";
import { sql, type Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { packageRoot } from "../package-root.js";
import { seedFromPgliteTemplate } from "./pglite-template.js";
import { lockDataDir } from "./data-dir-lock.js";
import { defaultTimeouts, replaceablePool, type DatabaseTimeouts } from "./bounded-client.js";

/** The one database type every service uses, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything a query can run on: the database itself or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /**
   * Replaces the connection pool with a new one (PostgreSQL only): what the process does after
   * an exception escaped the driver, whose pool may then be inconsistent (src/fault-guard.ts).
   */
  replacePool?(): Promise<void>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (the outbox wake-ups of src/db/leased-queue.ts),
   * and `onListening` each time listening starts: at first, and on PostgreSQL again after every
   * reconnection, since what was notified while the connection was away is lost. Answers how to
   * stop listening.
   */
  listen(channel: string, onNotify: () => void, onListening: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL("drizzle", packageRoot));

export interface DatabaseOptions {
  /** postgres:// URL; unset means embedded PGlite. */
  url?: string;
  /** PGlite data directory, or `memory://` for a throw-away database. */
  dataDir: string;
  /** A PGlite instance to use as is (tests clone one migrated snapshot). */
  pglite?: PGlite;
  poolSize?: number;
  /** Bounds on each wait on PostgreSQL; `defaultTimeouts` for any left out. */
  timeouts?: Partial<DatabaseTimeouts>;
  /** Sees every statement the app runs (tests count them to prove lists are batched). */
  logger?: Logger;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const url = options.url;
    const pool = replaceablePool(url, options.poolSize ?? 10, { ...defaultTimeouts, ...options.timeouts });
    const db = drizzlePostgres({ client: pool.sql, logger: options.logger }) as unknown as Database;
    let listener: postgres.Sql | undefined;
    return {
      db,
      kind: "postgres",
      migrate: () => migrateLocked(url),
      ping: async () => {
        await pool.sql.unsafe("select 1");
      },
      replacePool: () => pool.replace(),
      listen: async (channel, onNotify, onListening) => {
        listener ??= listenerClient(url, { ...defaultTimeouts, ...options.timeouts }.connectMs);
        const { unlisten } = await listener.listen(channel, onNotify, onListening);
        return unlisten;
      },
      close: async () => {
        await pool.end(5);
        await listener?.end({ timeout: 1 });
      },
    };
  }

  // Loaded only for an embedded database: a server on PostgreSQL has no use for PGlite's modules.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  let releaseDataDir: () => void = () => undefined;
  if (!options.pglite && !options.dataDir.startsWith("memory://")) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseDataDir = lockDataDir(options.dataDir);
  }
  let client: PGlite;
  try {
    if (!options.pglite) seedFromPgliteTemplate(options.dataDir);
    client = options.pglite ?? (await PGlite.create({ dataDir: options.dataDir }));
  } catch (error) {
    releaseDataDir();
    throw error;
  }
  const db = drizzlePglite({ client, logger: options.logger }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(drizzlePglite({ client }), { migrationsFolder }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    // One process holds the database, so every NOTIFY is its own, delivered to it at commit.
    listen: async (channel, onNotify, onListening) => {
      const unlisten = await client.listen(channel, onNotify);
      onListening();
      return unlisten;
    },
    close: async () => {
      await client.close();
      releaseDataDir();
    },
  };
}

/**
 * The session LISTEN runs on: one connection of its own, kept open (no idle or lifetime limit),
 * outside the application's pool, so replacing the pool (src/fault-guard.ts) leaves it listening.
 * postgres.js listens again on every reconnection; the backoff is capped at a second, as the pool's
 * is, so wake-ups resume soon after the server is back.
 */
function listenerClient(url: string, connectMs: number): postgres.Sql {
  return postgres(url, {
    max: 1,
    onnotice: () => undefined,
    connect_timeout: connectMs / 1000,
    backoff: (attempt: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** attempt, 1),
    connection: { application_name: "b2b-account-gateway listener" },
  });
}

/** Any fixed number: every instance of the gateway must agree on it, nothing else should use it. */
const migrationLockKey = 0x6232_6267; // "b2bg"

/**
 * Instances starting together on one empty database would each create drizzle's bookkeeping table
 * and the app's types at once and fail on the catalog's unique indexes. A session-level advisory
 * lock lets one migrate while the others wait, then find nothing to do. The migration runs on the
 * lock's own connection, outside the application's pool: none of the pool's bounds (a statement
 * timeout would stop a long index build) applies to it.
 */
async function migrateLocked(url: string): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await lock`select pg_advisory_lock(${migrationLockKey})`;
    await migratePostgres(drizzlePostgres({ client: lock }), { migrationsFolder });
  } finally {
    // Ending the session releases the lock, whether the migration succeeded or not.
    await lock.end({ timeout: 5 });
  }
}

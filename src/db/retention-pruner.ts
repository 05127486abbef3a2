import type { SQL } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client.js";
import { deleteInBatches } from "./batched-delete.js";

export interface RetentionPrunerOptions {
  /** What the rows are, for the log: "audit events". */
  name: string;
  table: PgTable;
  /** The table's primary key. */
  key: readonly [PgColumn, ...PgColumn[]];
  /** Which rows are past their retention, evaluated at each run. */
  expired: () => SQL | undefined;
  /** Rows per delete statement, so a large backlog never holds one long lock. */
  batchSize?: number;
  intervalMs?: number;
  log: FastifyBaseLogger;
}

/** Retention is counted in hours or days; looking once an hour keeps a table within an hour of it. */
const defaultIntervalMs = 60 * 60 * 1000;

/** Deletes a table's rows past their retention, at start and then periodically, in bounded batches. */
export class RetentionPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: Database,
    private readonly options: RetentionPrunerOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.running = this.pruneOnce().catch((error: unknown) =>
        this.options.log.error({ err: error }, `pruning ${this.options.name} failed`),
      );
    };
    run();
    this.timer = setInterval(run, this.options.intervalMs ?? defaultIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Deletes every row past the retention; returns how many. */
  async pruneOnce(): Promise<number> {
    const { table, key, expired, batchSize, name, log } = this.options;
    const deleted = await deleteInBatches(this.db, table, key, expired(), batchSize ?? 500);
    if (deleted > 0) log.info({ deleted }, `${name} past retention pruned`);
    return deleted;
  }
}

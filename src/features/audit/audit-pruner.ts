import { lt, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../db/client.js";
import { deleteInBatches } from "../../db/batched-delete.js";
import { auditEvents } from "./audit.tables.js";

export interface AuditPrunerOptions {
  retentionDays: number;
  /** Rows per delete statement, so a large backlog never holds one long lock. */
  batchSize?: number;
  intervalMs?: number;
  log: FastifyBaseLogger;
}

/** Retention is counted in days; looking once an hour keeps the trail within an hour of it. */
const defaultIntervalMs = 60 * 60 * 1000;

/** Deletes audit events past the retention, periodically and in bounded batches. */
export class AuditPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: Database,
    private readonly options: AuditPrunerOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.running = this.pruneOnce().catch((error: unknown) =>
        this.options.log.error({ err: error }, "audit pruning failed"),
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

  /** Deletes every event older than the retention; returns how many. */
  async pruneOnce(): Promise<number> {
    const expired = lt(auditEvents.createdAt, sql`now() - make_interval(days => ${this.options.retentionDays})`);
    const deleted = await deleteInBatches(this.db, auditEvents, auditEvents.id, expired, this.options.batchSize ?? 500);
    if (deleted > 0) this.options.log.info({ deleted }, "audit events past retention pruned");
    return deleted;
  }
}

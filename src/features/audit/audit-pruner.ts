import { lt, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../db/client.js";
import { RetentionPruner } from "../../db/retention-pruner.js";
import { auditEvents } from "./audit.tables.js";

export interface AuditPrunerOptions {
  retentionDays: number;
  /** Rows per delete statement, so a large backlog never holds one long lock. */
  batchSize?: number;
  intervalMs?: number;
  log: FastifyBaseLogger;
}

/** Deletes audit events past the retention, periodically and in bounded batches. */
export class AuditPruner extends RetentionPruner {
  constructor(db: Database, options: AuditPrunerOptions) {
    super(db, {
      name: "audit events",
      table: auditEvents,
      key: [auditEvents.organizationId, auditEvents.id],
      expired: () => lt(auditEvents.createdAt, sql`now() - make_interval(days => ${options.retentionDays})`),
      batchSize: options.batchSize,
      intervalMs: options.intervalMs,
      log: options.log,
    });
  }
}

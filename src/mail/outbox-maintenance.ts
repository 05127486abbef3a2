import { and, count, eq, gte, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { deleteInBatches } from "../db/batched-delete.js";
import { mailOutbox } from "./outbox.tables.js";

export interface RequeueResult {
  /** `logged` messages made `pending` again, to be sent now. */
  requeued: number;
  /** `logged` messages too old to send now; they stay `logged`. */
  leftLogged: number;
}

/**
 * Once a transport is configured, messages that were only logged are sent after all, if they are
 * younger than `withinHours`: older ones would arrive out of context (and their invitation links
 * may have expired), so they stay `logged` and are counted for the operator.
 */
export async function requeueLoggedMail(db: Database, withinHours: number): Promise<RequeueResult> {
  const cutoff = sql`now() - make_interval(hours => ${withinHours})`;
  const requeued =
    withinHours === 0
      ? []
      : await db
          .update(mailOutbox)
          .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, lastError: null })
          .where(and(eq(mailOutbox.status, "logged"), gte(mailOutbox.createdAt, cutoff)))
          .returning({ id: mailOutbox.id });
  const [left] = await db
    .select({ n: count() })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, "logged"), lt(mailOutbox.createdAt, cutoff)));
  return { requeued: requeued.length, leftLogged: left!.n };
}

/**
 * Deletes sent messages older than `retentionDays`, and suppressed ones as old (a mail bomb must
 * not grow the table for ever), `batchSize` rows per statement so a large backlog never holds one
 * long lock or transaction. Failed and logged rows are kept: they still need someone's attention.
 * Returns how many rows went.
 */
export function pruneSentMail(db: Database, retentionDays: number, batchSize: number): Promise<number> {
  const cutoff = sql`now() - make_interval(days => ${retentionDays})`;
  const expired = or(
    and(eq(mailOutbox.status, "sent"), lt(mailOutbox.sentAt, cutoff)),
    and(eq(mailOutbox.status, "suppressed"), lt(mailOutbox.createdAt, cutoff)),
  );
  return deleteInBatches(db, mailOutbox, [mailOutbox.organizationId, mailOutbox.id], expired, batchSize);
}

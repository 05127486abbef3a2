import { and, asc, eq, getTableColumns, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client.js";

/** The columns of an outbox table that a worker claims work from. */
export interface LeasedQueue<T extends PgTable> {
  table: T;
  id: PgColumn;
  /** `pending` rows are work. */
  status: PgColumn;
  /** Due when in the past; moved ahead by the lease while a worker holds the row. */
  nextAttemptAt: PgColumn;
  attempts: PgColumn;
  /** Which due rows go first. */
  order: PgColumn;
}

/** While a row is being worked on no other worker may pick it up; after this, it is due again. */
const leaseSeconds = 60;

/**
 * Claims up to `batchSize` due rows: FOR UPDATE SKIP LOCKED so concurrent workers (in this process
 * or another instance) never take the same row, and a lease so a worker that dies mid-way leaves
 * the row due again later. Answers the rows with their attempt counted, in queue order.
 */
export function claimDue<T extends PgTable>(
  db: Database,
  queue: LeasedQueue<T>,
  batchSize: number,
): Promise<T["$inferSelect"][]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: queue.id })
      .from(queue.table as PgTable)
      .where(and(eq(queue.status, "pending"), lte(queue.nextAttemptAt, sql`now()`)))
      .orderBy(asc(queue.order))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    const ids = due.map((row) => row.id as string);
    const claimed = (await tx
      .update(queue.table as PgTable)
      .set({
        [keyOf(queue.table, queue.attempts)]: sql`${queue.attempts} + 1`,
        [keyOf(queue.table, queue.nextAttemptAt)]: sql`now() + make_interval(secs => ${leaseSeconds})`,
      } as Record<string, SQL>)
      .where(inArray(queue.id, ids))
      .returning()) as (T["$inferSelect"] & { id: string })[];
    const position = new Map(ids.map((id, index) => [id, index]));
    return claimed.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  });
}

/** The property a table keeps a column under: what `update().set()` takes. */
function keyOf(table: PgTable, column: PgColumn): string {
  const entry = Object.entries(getTableColumns(table)).find(([, candidate]) => candidate === column);
  if (!entry) throw new Error(`${column.name} is not a column of the queue's table`);
  return entry[0];
}

export interface PollLoopOptions {
  intervalMs: number;
  /** One batch of work; answers how many items it took (0: nothing was due). */
  runOnce: () => Promise<number>;
  /** Before each poll: periodic upkeep such as pruning. */
  beforePoll?: () => Promise<void>;
  onError: (error: unknown) => void;
}

/**
 * Polls a queue: drains it (batch after batch while batches come back non-empty), waits the
 * interval, and again. `stop` waits for the run in progress, so nothing is cut off mid-delivery.
 */
export class PollLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;

  constructor(private readonly options: PollLoopOptions) {}

  /** Starts polling once `first` (say, a one-time re-queue) has run; a second start does nothing. */
  start(first: () => Promise<void> = async () => undefined): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = first()
      .catch(this.options.onError)
      .finally(() => this.schedule(0));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch(this.options.onError)
        .finally(() => this.schedule(this.options.intervalMs));
    }, delay);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    await this.options.beforePoll?.();
    while (!this.stopped && (await this.options.runOnce()) > 0) {
      // A full batch may mean more are due: keep going until none is.
    }
  }
}

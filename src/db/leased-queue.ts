import { and, asc, eq, getTableColumns, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database, Executor } from "./client.js";

/** The columns of an outbox table that a worker claims work from. */
export interface LeasedQueue<T extends PgTable> {
  table: T;
  /** The NOTIFY channel that `wakeWorkers` signals when a row becomes due at once. */
  channel: string;
  id: PgColumn;
  /** `pending` rows are work. */
  status: PgColumn;
  /** Due when in the past; moved ahead by the lease while a worker holds the row. */
  nextAttemptAt: PgColumn;
  attempts: PgColumn;
  /** Which due rows go first. */
  order: PgColumn;
}

/**
 * Claims up to `batchSize` due rows: FOR UPDATE SKIP LOCKED so concurrent workers (in this process
 * or another instance) never take the same row, and a lease of `leaseSeconds` so a worker that dies
 * mid-way leaves the row due again soon. Answers the rows with their attempt counted, in queue order;
 * hold them with a `Lease` while working on them.
 */
export function claimDue<T extends PgTable>(
  db: Database,
  queue: LeasedQueue<T>,
  batchSize: number,
  leaseSeconds: number,
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

/**
 * Keeps claimed rows leased while a worker works on them: renews the lease every third of it, so
 * a post slower than the lease keeps its rows, and a worker that dies loses them within one lease.
 * A renewal that fails (the database is away) is reported and tried again at the next beat; the
 * work goes on.
 */
export class Lease<T extends PgTable> {
  private readonly held: Set<string>;
  private readonly timer: NodeJS.Timeout;
  private beat: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly queue: LeasedQueue<T>,
    ids: readonly string[],
    private readonly leaseSeconds: number,
    onError: (error: unknown) => void,
  ) {
    this.held = new Set(ids);
    this.timer = setInterval(
      () => {
        this.beat = this.renew().catch(onError);
      },
      (leaseSeconds * 1000) / 3,
    );
    this.timer.unref();
  }

  /**
   * Stops renewing `id`, once no renewal naming it can still land: the caller's outcome write
   * (sent, or the next attempt's time) is then the row's last word.
   */
  async release(id: string): Promise<void> {
    this.held.delete(id);
    await this.beat;
  }

  end(): void {
    clearInterval(this.timer);
    this.held.clear();
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const { queue } = this;
    await this.db
      .update(queue.table as PgTable)
      .set({
        [keyOf(queue.table, queue.nextAttemptAt)]: sql`now() + make_interval(secs => ${this.leaseSeconds})`,
      } as Record<string, SQL>)
      .where(and(inArray(queue.id, [...this.held]), eq(queue.status, "pending")));
  }
}

/**
 * One worker pass: claims due rows, holds them with a `Lease` while `work` runs on them, and ends
 * the lease whatever happens. Answers how many rows were claimed.
 */
export async function workLeased<T extends PgTable>(
  db: Database,
  queue: LeasedQueue<T>,
  options: { batchSize: number; leaseSeconds: number; onRenewError: (error: unknown) => void },
  work: (batch: T["$inferSelect"][], lease: Lease<T>) => Promise<void>,
): Promise<number> {
  const batch = await claimDue(db, queue, options.batchSize, options.leaseSeconds);
  if (batch.length === 0) return 0;
  const ids = batch.map((row) => (row as { id: string }).id);
  const lease = new Lease(db, queue, ids, options.leaseSeconds, options.onRenewError);
  try {
    await work(batch, lease);
  } finally {
    lease.end();
  }
  return batch.length;
}

/**
 * Tells the queue's workers, in this process and in every other instance on the database, that a
 * row is due now: enqueuing runs it in the transaction that writes the row, so the notification
 * goes out at commit and never for a rollback (PostgreSQL folds a transaction's repeats into one).
 */
export async function wakeWorkers(tx: Executor, channel: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${channel}, '')`);
}

/**
 * Milliseconds until the queue's earliest pending row that is not due yet becomes due (a retry's
 * back-off, a lease running out), 0 or less for one due already; null when nothing is pending.
 * Nobody notifies for these, so a worker sleeps until then at the longest.
 */
export async function nextDueInMs<T extends PgTable>(db: Database, queue: LeasedQueue<T>): Promise<number | null> {
  const [row] = await db
    .select({ ms: sql<number | null>`extract(epoch from min(${queue.nextAttemptAt}) - now()) * 1000` })
    .from(queue.table as PgTable)
    .where(eq(queue.status, "pending"));
  return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
}

/** Pauses between tries of an outcome write: about 15 s in all, longer than a brief database drop. */
const outcomeRetryDelaysMs = [250, 500, 1000, 2000, 4000, 8000];

/**
 * Writes a delivery's outcome, trying again on its own when the database refuses it: the post has
 * happened, and posting again is what a lost outcome would otherwise cost. After the last try the
 * error is thrown; the row's lease then runs out and the next claim decides (see the workers).
 */
export async function recordOutcome(
  write: () => Promise<unknown>,
  onRetry: (error: unknown, attempt: number) => void,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      const delay = outcomeRetryDelaysMs[attempt];
      if (delay === undefined) throw error;
      onRetry(error, attempt + 1);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The property a table keeps a column under: what `update().set()` takes. */
function keyOf(table: PgTable, column: PgColumn): string {
  const entry = Object.entries(getTableColumns(table)).find(([, candidate]) => candidate === column);
  if (!entry) throw new Error(`${column.name} is not a column of the queue's table`);
  return entry[0];
}

export interface PollLoopOptions {
  /**
   * The safety poll: the longest an idle loop waits before looking for work unasked, for a
   * wake-up that was missed (its listener was reconnecting) or a row no wake-up announces.
   */
  intervalMs: number;
  /** One batch of work; answers how many items it took (0: nothing was due). */
  runOnce: () => Promise<number>;
  /** After a drain: when the next known row becomes due (see `nextDueInMs`); the loop wakes then. */
  nextDueInMs?: () => Promise<number | null>;
  /**
   * Calls `wake` whenever work may have been enqueued: a notification, or listening (re)started
   * after a reconnection, when notifications may have been missed. Answers how to stop.
   */
  subscribe?: (wake: () => void) => Promise<() => Promise<void>>;
  /** Before each poll: periodic upkeep such as pruning. */
  beforePoll?: () => Promise<void>;
  onError: (error: unknown) => void;
}

/** A drain that failed (the database is away, say) is tried again this soon, as polling did. */
const retryAfterErrorMs = 1000;
/** The shortest sleep between drains, for a row that is due but another worker holds (SKIP LOCKED). */
const minimumSleepMs = 100;

/**
 * Works a queue: drains it (batch after batch while batches come back non-empty), then sleeps until
 * it is woken (`wake`, or a notification through `subscribe`), the next known row is due, or the
 * safety poll comes round, whichever is first. An idle queue with nothing pending is looked at once
 * per `intervalMs`. `stop` waits for the run in progress, so nothing is cut off mid-delivery.
 */
export class PollLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  /** A drain (or the first step) is running: a wake-up then asks for one more drain after it. */
  private busy = false;
  private wokenWhileBusy = false;
  private unsubscribe?: Promise<(() => Promise<void>) | undefined>;

  constructor(private readonly options: PollLoopOptions) {}

  /** Starts polling once `first` (say, a one-time re-queue) has run; a second start does nothing. */
  start(first: () => Promise<void> = async () => undefined): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.options
      .subscribe?.(() => this.wake())
      .catch((error: unknown) => {
        // Without wake-ups the loop still works, at the pace of the safety poll.
        this.options.onError(error);
        return undefined;
      });
    this.busy = true;
    this.running = first()
      .catch(this.options.onError)
      .finally(() => this.rest(0));
  }

  /** Work may be due now: drains at once, or right after the drain in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.busy) this.wokenWhileBusy = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await (
      await this.unsubscribe
    )?.();
  }

  private rest(delay: number): void {
    this.busy = false;
    this.schedule(this.wokenWhileBusy ? 0 : delay);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.busy = true;
      this.wokenWhileBusy = false;
      this.running = this.drain()
        .then(() => this.sleepMs())
        .catch((error: unknown) => {
          this.options.onError(error);
          return Math.min(this.options.intervalMs, retryAfterErrorMs);
        })
        .then((sleep) => this.rest(sleep));
    }, delay);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    await this.options.beforePoll?.();
    while (!this.stopped && (await this.options.runOnce()) > 0) {
      // A full batch may mean more are due: keep going until none is.
    }
  }

  private async sleepMs(): Promise<number> {
    const dueInMs = await this.options.nextDueInMs?.();
    if (dueInMs === undefined || dueInMs === null) return this.options.intervalMs;
    return Math.min(this.options.intervalMs, Math.max(minimumSleepMs, dueInMs));
  }
}

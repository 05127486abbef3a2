import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../db/client.js";
import { pruneSentMail, requeueLoggedMail } from "./outbox-maintenance.js";
import { maskEmail } from "../logging.js";
import { mailOutbox } from "./outbox.tables.js";

export type SendableMail = typeof mailOutbox.$inferSelect;

export interface MailTransport {
  send(mail: SendableMail): Promise<{ messageId?: string }>;
}

export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface MailWorkerOptions {
  /** Unset: no token is configured, so messages are logged and kept, not sent. */
  transport?: MailTransport;
  pollIntervalMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  batchSize?: number;
  /** With a transport, `logged` messages younger than this are sent on start; 0: none are. */
  requeueLoggedHours: number;
  /** Sent messages older than this are deleted. */
  retentionDays: number;
  /** Rows per delete statement when pruning. */
  pruneBatchSize?: number;
  /** MAIL_LOG_BODIES: the text of unsent e-mail in the log (refused in production by the config). */
  logBodies?: boolean;
  log: FastifyBaseLogger;
}

/** While a message is being sent no other worker may pick it up; after this, it is due again. */
const leaseSeconds = 60;
const maxBackoffMs = 60 * 60 * 1000;
/** Retention is counted in days; looking once an hour keeps the table within an hour of it. */
const pruneIntervalMs = 60 * 60 * 1000;

/**
 * Delivers the outbox, and once an hour deletes sent messages past the retention. Several workers
 * on one database never send a message twice: each claims a batch with FOR UPDATE SKIP LOCKED and
 * leases it before sending.
 */
export class MailWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private nextPruneAt = 0;

  constructor(
    private readonly db: Database,
    private readonly options: MailWorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (!this.options.transport) {
      this.options.log.warn("POSTMARK_SERVER_TOKEN is unset: e-mail is logged and kept in the outbox, not sent");
      this.schedule(0);
      return;
    }
    this.running = this.requeueLogged()
      .catch((error: unknown) => this.options.log.error({ err: error }, "re-queueing logged e-mail failed"))
      .finally(() => this.schedule(0));
  }

  /** Sends what was only logged while no transport was configured, within the configured age. */
  async requeueLogged(): Promise<void> {
    const hours = this.options.requeueLoggedHours;
    const { requeued, leftLogged } = await requeueLoggedMail(this.db, hours);
    if (requeued > 0) this.options.log.info({ requeued }, "logged e-mail re-queued for sending");
    if (leftLogged > 0) {
      this.options.log.warn(
        { leftLogged, requeueLoggedHours: hours },
        `${leftLogged} logged e-mail(s) older than ${hours} hours stay unsent (status logged in mail_outbox)`,
      );
    }
  }

  /** Deletes sent messages past the retention; returns how many. */
  async pruneSent(): Promise<number> {
    const deleted = await pruneSentMail(this.db, this.options.retentionDays, this.options.pruneBatchSize ?? 500);
    if (deleted > 0) this.options.log.info({ deleted }, "sent e-mail past retention pruned");
    return deleted;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Delivers every message due now; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const batch = await this.claim();
    for (const mail of batch) await this.deliver(mail);
    return batch.length;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((error: unknown) => this.options.log.error({ err: error }, "mail worker run failed"))
        .finally(() => this.schedule(this.options.pollIntervalMs));
    }, delay);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    if (Date.now() >= this.nextPruneAt) {
      this.nextPruneAt = Date.now() + pruneIntervalMs;
      await this.pruneSent();
    }
    while (!this.stopped && (await this.runOnce()) > 0) {
      // A full batch may mean more are due: keep going until the queue is empty.
    }
  }

  private claim(): Promise<SendableMail[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, sql`now()`)))
        .orderBy(asc(mailOutbox.createdAt))
        .limit(this.options.batchSize ?? 20)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      await tx
        .update(mailOutbox)
        .set({
          attempts: sql`${mailOutbox.attempts} + 1`,
          nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
        })
        .where(
          inArray(
            mailOutbox.id,
            due.map((mail) => mail.id),
          ),
        );
      return due.map((mail) => ({ ...mail, attempts: mail.attempts + 1 }));
    });
  }

  private async deliver(mail: SendableMail): Promise<void> {
    const { transport, log } = this.options;
    if (!transport) {
      // The body carries invitation tokens: only a development opt-in puts it in the log.
      log.info(
        {
          mailId: mail.id,
          template: mail.template,
          recipient: maskEmail(mail.toAddress),
          ...(this.options.logBodies ? { body: mail.textBody } : {}),
        },
        "e-mail logged, not sent",
      );
      await this.db.update(mailOutbox).set({ status: "logged" }).where(eq(mailOutbox.id, mail.id));
      return;
    }
    try {
      const { messageId } = await transport.send(mail);
      await this.db
        .update(mailOutbox)
        .set({ status: "sent", sentAt: sql`now()`, providerMessageId: messageId ?? null, lastError: null })
        .where(eq(mailOutbox.id, mail.id));
    } catch (error) {
      const failure = error instanceof MailDeliveryError ? error : new MailDeliveryError(String(error), false);
      const giveUp = failure.permanent || mail.attempts >= this.options.maxAttempts;
      const backoffMs = Math.min(this.options.retryBaseMs * 2 ** (mail.attempts - 1), maxBackoffMs);
      log.warn({ mailId: mail.id, attempts: mail.attempts, giveUp, err: failure.message }, "e-mail delivery failed");
      await this.db
        .update(mailOutbox)
        .set(
          giveUp
            ? { status: "failed", lastError: failure.message }
            : { lastError: failure.message, nextAttemptAt: sql`now() + make_interval(secs => ${backoffMs / 1000})` },
        )
        .where(eq(mailOutbox.id, mail.id));
    }
  }
}

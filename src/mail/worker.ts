import { sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { FastifyBaseLogger } from "fastify";
import type { Database, DatabaseHandle } from "../db/client.js";
import { nextDueInMs, PollLoop, recordOutcome, workLeased, type Lease, type LeasedQueue } from "../db/leased-queue.js";
import { pruneSentMail, requeueLoggedMail } from "./outbox-maintenance.js";
import { maskEmail } from "../logging.js";
import { mailOutbox, mailOutboxChannel } from "./outbox.tables.js";
import { byKey } from "../db/tenant-key.js";

export type SendableMail = typeof mailOutbox.$inferSelect;

export interface MailTransport {
  /** Sends the message, tagged with its outbox id so `findAccepted` can find it later. */
  send(mail: SendableMail): Promise<{ messageId?: string }>;
  /** Whether the provider has accepted this outbox message already (on an attempt whose answer was lost). */
  findAccepted(mail: SendableMail): Promise<{ messageId?: string } | null>;
}

export class MailDeliveryError extends Error {
  constructor(
    message: string,
    /** Sending again will not help (a bad address): the message fails now. */
    readonly permanent: boolean,
    /** The provider answered with a refusal, so it did not accept the message. */
    readonly refused: boolean,
  ) {
    super(message);
  }
}

export interface MailWorkerOptions {
  /** Unset: no token is configured, so messages are logged and kept, not sent. */
  transport?: MailTransport;
  /** The safety poll (MAIL_POLL_INTERVAL_MS): enqueued mail wakes the worker through `listen` at once. */
  pollIntervalMs: number;
  /** The database's NOTIFY listener; without it the worker finds new mail at the next poll. */
  listen?: DatabaseHandle["listen"];
  maxAttempts: number;
  retryBaseMs: number;
  batchSize?: number;
  /** With a transport, `logged` messages younger than this are sent on start; 0: none are. */
  requeueLoggedHours: number;
  /** Sent messages older than this are deleted. */
  retentionDays: number;
  /** Rows per delete statement when pruning. */
  pruneBatchSize?: number;
  /** How long a claimed message stays the worker's without a heartbeat (OUTBOX_LEASE_SECONDS). */
  leaseSeconds: number;
  /** MAIL_LOG_BODIES: the text of unsent e-mail in the log (refused in production by the config). */
  logBodies?: boolean;
  /** DEV_MAIL: the links of unsent e-mail (invitations, sign-in) in the log, for a developer without a mail provider. */
  logLinks?: boolean;
  log: FastifyBaseLogger;
}

/** The URLs an e-mail's text carries, in order. */
export function linksIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
}

const maxBackoffMs = 60 * 60 * 1000;
/** Retention is counted in days; looking once an hour keeps the table within an hour of it. */
const pruneIntervalMs = 60 * 60 * 1000;

const outbox: LeasedQueue<typeof mailOutbox> = {
  table: mailOutbox,
  channel: mailOutboxChannel,
  id: mailOutbox.id,
  status: mailOutbox.status,
  nextAttemptAt: mailOutbox.nextAttemptAt,
  attempts: mailOutbox.attempts,
  order: mailOutbox.createdAt,
};

/**
 * Delivers the outbox, and once an hour deletes sent messages past the retention. Several workers
 * on one database never send a message at once: each claims its batch (see claimDue) and holds it
 * with a heartbeat while sending. A message whose earlier attempt may have reached Postmark (the
 * worker died, or the send could not be recorded) is looked up at Postmark by its outbox id before
 * it is sent again, so it goes out twice only when Postmark cannot tell.
 */
export class MailWorker {
  private nextPruneAt = 0;
  private readonly loop: PollLoop;

  constructor(
    private readonly db: Database,
    private readonly options: MailWorkerOptions,
  ) {
    const { listen } = options;
    this.loop = new PollLoop({
      intervalMs: options.pollIntervalMs,
      runOnce: () => this.runOnce(),
      nextDueInMs: () => nextDueInMs(db, outbox),
      subscribe: listen && ((wake) => listen(outbox.channel, wake, wake)),
      beforePoll: async () => {
        if (Date.now() < this.nextPruneAt) return;
        this.nextPruneAt = Date.now() + pruneIntervalMs;
        await this.pruneSent();
      },
      onError: (error) => options.log.error({ err: error }, "mail worker run failed"),
    });
  }

  start(): void {
    if (!this.options.transport) {
      this.options.log.warn("POSTMARK_SERVER_TOKEN is unset: e-mail is logged and kept in the outbox, not sent");
      this.loop.start();
      return;
    }
    this.loop.start(() =>
      this.requeueLogged().catch((error: unknown) =>
        this.options.log.error({ err: error }, "re-queueing logged e-mail failed"),
      ),
    );
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

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Delivers every message due now; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const { leaseSeconds, log } = this.options;
    return workLeased(
      this.db,
      outbox,
      {
        batchSize: this.options.batchSize ?? 20,
        leaseSeconds,
        onRenewError: (error) => log.warn({ err: error }, "e-mail lease could not be renewed"),
      },
      async (batch, lease) => {
        for (const mail of batch) await this.deliver(mail, lease);
      },
    );
  }

  private async deliver(mail: SendableMail, lease: Lease<typeof mailOutbox>): Promise<void> {
    const { transport, log } = this.options;
    if (!transport) {
      // The body carries invitation tokens: only a development opt-in puts it in the log.
      log.info(
        {
          mailId: mail.id,
          template: mail.template,
          recipient: maskEmail(mail.toAddress),
          ...(this.options.logBodies ? { body: mail.textBody } : {}),
          ...(this.options.logLinks ? { links: linksIn(mail.textBody) } : {}),
        },
        this.options.logLinks
          ? `e-mail logged, not sent; its links: ${linksIn(mail.textBody).join(" ")}`
          : "e-mail logged, not sent",
      );
      await lease.release(mail.id);
      await this.record(mail, { status: "logged" });
      return;
    }
    let outcome: PgUpdateSetSource<typeof mailOutbox>;
    try {
      const earlier = this.mayHaveBeenAccepted(mail) ? await transport.findAccepted(mail) : null;
      if (earlier) {
        log.info(
          { mailId: mail.id, attempts: mail.attempts },
          "e-mail accepted on an earlier attempt: recorded, not sent again",
        );
      }
      const { messageId } = earlier ?? (await transport.send(mail));
      outcome = { status: "sent", sentAt: sql`now()`, providerMessageId: messageId ?? null, lastError: null };
    } catch (error) {
      const failure = error instanceof MailDeliveryError ? error : new MailDeliveryError(String(error), false, false);
      const giveUp = failure.permanent || mail.attempts >= this.options.maxAttempts;
      const backoffMs = Math.min(this.options.retryBaseMs * 2 ** (mail.attempts - 1), maxBackoffMs);
      log.warn({ mailId: mail.id, attempts: mail.attempts, giveUp, err: failure.message }, "e-mail delivery failed");
      outcome = {
        lastError: failure.message,
        ...(failure.refused ? { refusedAttempt: mail.attempts } : {}),
        ...(giveUp
          ? { status: "failed" as const }
          : { nextAttemptAt: sql`now() + make_interval(secs => ${backoffMs / 1000})` }),
      };
    }
    await lease.release(mail.id);
    await this.record(mail, outcome);
  }

  /**
   * An earlier attempt may have reached Postmark unless it was the first, or Postmark refused the
   * one before this.
   */
  private mayHaveBeenAccepted(mail: SendableMail): boolean {
    return mail.attempts > 1 && mail.refusedAttempt !== mail.attempts - 1;
  }

  /**
   * Written apart from the send and tried again on its own: a lost write must not cost a second
   * send. When every try fails the row stays claimed until its lease runs out; the next attempt
   * then asks Postmark first.
   */
  private record(mail: SendableMail, outcome: PgUpdateSetSource<typeof mailOutbox>): Promise<void> {
    return recordOutcome(
      () => this.db.update(mailOutbox).set(outcome).where(byKey(mailOutbox, mail)),
      (error, attempt) =>
        this.options.log.warn({ mailId: mail.id, attempt, err: error }, "e-mail outcome not recorded; trying again"),
    );
  }
}

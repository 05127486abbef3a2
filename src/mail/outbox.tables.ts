import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * `logged`: written to the log instead of sent, because no Postmark token is configured.
 * `suppressed`: never sent, because the recipient blocked the organization or the organization
 * reached its cap for that address; `last_error` says which.
 */
export const mailStatuses = ["pending", "sent", "failed", "logged", "suppressed"] as const;
export type MailStatus = (typeof mailStatuses)[number];

/** The NOTIFY channel on which enqueuing wakes the mail workers (wakeWorkers, src/db/leased-queue.ts). */
export const mailOutboxChannel = "mail_outbox";

/** E-mail written in the same transaction as the change that causes it; the worker delivers it. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: text("id").notNull(),
    /** Empty for mail of no organization (an account's own, such as a password reset). */
    organizationId: text("organization_id").notNull().default(""),
    template: text("template").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    status: text("status").$type<MailStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    /**
     * The attempt that Postmark answered with a refusal, so it certainly did not accept the
     * message. Any other attempt that did not end `sent` (the worker died, the database dropped
     * before the send was recorded, Postmark's answer never came) may have gone through: the next
     * attempt asks Postmark before sending.
     */
    refusedAttempt: integer("refused_attempt"),
    providerMessageId: text("provider_message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: "mail_outbox_pkey", columns: [t.organizationId, t.id] }),
    index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt),
    // The workers claim and settle due mail of every organization by id alone.
    index("mail_outbox_id_idx").on(t.id),
    // The per-recipient caps count an organization's recent mail to one address.
    index("mail_outbox_recipient_idx").on(t.organizationId, sql`lower(${t.toAddress})`, t.createdAt),
  ],
);

/** A recipient's refusal of all further mail from one organization, from the link in its mail. */
export const mailBlocks = pgTable(
  "mail_blocks",
  {
    organizationId: text("organization_id").notNull(),
    /** Lower case: addresses compare without regard to case. */
    address: text("address").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.address] })],
);

import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** `logged`: written to the log instead of sent, because no Postmark token is configured. */
export const mailStatuses = ["pending", "sent", "failed", "logged"] as const;
export type MailStatus = (typeof mailStatuses)[number];

/** E-mail written in the same transaction as the change that causes it; the worker delivers it. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id"),
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
  (t) => [index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt)],
);

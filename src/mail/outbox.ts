import { and, eq, gt, ne, sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { newId } from "../db/ids.js";
import { wakeWorkers } from "../db/leased-queue.js";
import { mailBlocks, mailOutbox, mailOutboxChannel, type MailStatus } from "./outbox.tables.js";
import type { RenderedMail } from "./templates.js";

export interface OutgoingMail extends RenderedMail {
  to: string;
  organizationId?: string | null;
}

/** How many e-mails one organization may send to one address (MAIL_RECIPIENT_HOURLY/DAILY_LIMIT). */
export interface RecipientCaps {
  hourly: number;
  daily: number;
}

export const recipientCaps = (config: { MAIL_RECIPIENT_HOURLY_LIMIT: number; MAIL_RECIPIENT_DAILY_LIMIT: number }) => ({
  hourly: config.MAIL_RECIPIENT_HOURLY_LIMIT,
  daily: config.MAIL_RECIPIENT_DAILY_LIMIT,
});

/**
 * Queues an e-mail. Call it with the transaction that makes the change, so the message exists
 * exactly when the change does; the worker delivers it later, and an outage never fails a request.
 * Mail of an organization that the recipient has blocked, or beyond the organization's caps for
 * that address, is kept as `suppressed` with the reason, never sent and never lost from the record.
 * Answers the status the message was queued with.
 */
export async function enqueueMail(tx: Executor, mail: OutgoingMail, caps: RecipientCaps): Promise<MailStatus> {
  const suppressed = mail.organizationId ? await suppression(tx, mail.organizationId, mail.to, caps) : null;
  const status: MailStatus = suppressed ? "suppressed" : "pending";
  await tx.insert(mailOutbox).values({
    id: newId(),
    organizationId: mail.organizationId ?? "",
    template: mail.template,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html,
    status,
    lastError: suppressed,
  });
  if (status === "pending") await wakeWorkers(tx, mailOutboxChannel);
  return status;
}

/** Why this organization's next mail to `to` must not go out, or null when it may. */
async function suppression(tx: Executor, organizationId: string, to: string, caps: RecipientCaps) {
  const address = to.trim().toLowerCase();
  // Concurrent changes mailing one address queue behind each other, so neither reads a stale count.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`mail:${organizationId}:${address}`}))`);
  const sentTo = and(
    eq(mailOutbox.organizationId, organizationId),
    sql`lower(${mailOutbox.toAddress}) = ${address}`,
    ne(mailOutbox.status, "suppressed"),
  );
  const [row] = await tx
    .select({
      blocked: sql<boolean>`exists(${tx
        .select({ one: sql`1` })
        .from(mailBlocks)
        .where(and(eq(mailBlocks.organizationId, organizationId), eq(mailBlocks.address, address)))})`,
      lastHour: sql<number>`count(*) filter (where ${mailOutbox.createdAt} > now() - interval '1 hour')`.mapWith(
        Number,
      ),
      lastDay: sql<number>`count(*)`.mapWith(Number),
    })
    .from(mailOutbox)
    .where(and(sentTo, gt(mailOutbox.createdAt, sql`now() - interval '1 day'`)));
  if (row!.blocked) return "the recipient blocked mail from this organization";
  if (row!.lastHour >= caps.hourly)
    return `the organization reached its hourly limit of ${caps.hourly} for this address`;
  if (row!.lastDay >= caps.daily) return `the organization reached its daily limit of ${caps.daily} for this address`;
  return null;
}

/** Records a recipient's refusal of an organization's mail; later mail from it is suppressed. */
export async function blockMail(tx: Executor, organizationId: string, address: string): Promise<void> {
  await tx.insert(mailBlocks).values({ organizationId, address: address.trim().toLowerCase() }).onConflictDoNothing();
}

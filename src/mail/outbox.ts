import type { Executor } from "../db/client.js";
import { newId } from "../db/ids.js";
import { mailOutbox } from "./outbox.tables.js";
import type { RenderedMail } from "./templates.js";

export interface OutgoingMail extends RenderedMail {
  to: string;
  organizationId?: string | null;
}

/**
 * Queues an e-mail. Call it with the transaction that makes the change, so the message exists
 * exactly when the change does; the worker delivers it later, and an outage never fails a request.
 */
export async function enqueueMail(tx: Executor, mail: OutgoingMail): Promise<void> {
  await tx.insert(mailOutbox).values({
    id: newId(),
    organizationId: mail.organizationId ?? null,
    template: mail.template,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html,
  });
}

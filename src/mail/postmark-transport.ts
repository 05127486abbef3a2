import { Errors, ServerClient } from "postmark";
import type { MailTransport, SendableMail } from "./worker.js";
import { MailDeliveryError } from "./worker.js";

/**
 * The metadata key that carries a message's outbox id to Postmark, and by which the outbound
 * message search (`metadata_outbox_id=`) finds it again.
 */
export const outboxIdMetadataKey = "outbox_id";

/** Sends through Postmark's HTTP API; `apiUrl` may point at a relay or a local stand-in. */
export function postmarkTransport(options: { serverToken: string; apiUrl: string; from: string }): MailTransport {
  const url = new URL(options.apiUrl);
  const client = new ServerClient(options.serverToken, {
    useHttps: url.protocol === "https:",
    requestHost: `${url.host}${url.pathname.replace(/\/$/, "")}`,
    timeout: 15,
  });
  return {
    async send(mail: SendableMail) {
      try {
        const response = await client.sendEmail({
          From: options.from,
          To: mail.toAddress,
          Subject: mail.subject,
          TextBody: mail.textBody,
          HtmlBody: mail.htmlBody,
          Tag: mail.template,
          Metadata: { [outboxIdMetadataKey]: mail.id },
          MessageStream: "outbound",
        });
        return { messageId: response.MessageID };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },

    async findAccepted(mail: SendableMail) {
      try {
        const found = await client.getOutboundMessages({
          count: 1,
          offset: 0,
          messageStream: "outbound",
          [`metadata_${outboxIdMetadataKey}`]: mail.id,
        });
        const [message] = found.Messages;
        return message ? { messageId: message.MessageID } : null;
      } catch (error) {
        // Not knowing is no licence to send: the attempt fails and the next one asks again.
        const failure = toDeliveryError(error);
        throw new MailDeliveryError(`message search: ${failure.message}`, false, false);
      }
    },
  };
}

function toDeliveryError(error: unknown): MailDeliveryError {
  if (error instanceof Errors.PostmarkError) {
    // 422 is a refusal of this message (bad address, inactive recipient): sending again won't help.
    // 401 (bad token), 429 and 5xx may pass once configuration or the service recovers.
    const permanent = error.statusCode === 422;
    // A 4xx is Postmark's refusal: it did not take the message. A 5xx (which a proxy may answer
    // too), a timeout or a connection lost after the request went out may hide an acceptance.
    const refused = error.statusCode >= 400 && error.statusCode < 500;
    return new MailDeliveryError(`Postmark ${error.statusCode} (${error.code}): ${error.message}`, permanent, refused);
  }
  return new MailDeliveryError(error instanceof Error ? error.message : String(error), false, false);
}

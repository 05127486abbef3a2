import { Errors, ServerClient } from "postmark";
import type { MailTransport, SendableMail } from "./worker.js";
import { MailDeliveryError } from "./worker.js";

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
          MessageStream: "outbound",
        });
        return { messageId: response.MessageID };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}

function toDeliveryError(error: unknown): MailDeliveryError {
  if (error instanceof Errors.PostmarkError) {
    // 422 is a refusal of this message (bad address, inactive recipient): sending again won't help.
    // 401 (bad token), 429 and 5xx may pass once configuration or the service recovers.
    const permanent = error.statusCode === 422;
    return new MailDeliveryError(`Postmark ${error.statusCode} (${error.code}): ${error.message}`, permanent);
  }
  return new MailDeliveryError(error instanceof Error ? error.message : String(error), false);
}

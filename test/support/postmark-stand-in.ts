import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedMail {
  From: string;
  To: string;
  Subject: string;
  TextBody: string;
  HtmlBody: string;
  Tag?: string;
  Metadata?: Record<string, string>;
  token: string | undefined;
  /** The id the stand-in answered for it. */
  MessageID: string;
}

/**
 * A local stand-in for Postmark's POST /email and its outbound message search
 * (GET /messages/outbound, filtered by `metadata_<key>=<value>`); it can be told to fail like an
 * outage, and to run `onAccepted` after taking a message and before answering (to cut the sender
 * off at the worst moment).
 */
export class PostmarkStandIn {
  readonly received: ReceivedMail[] = [];
  /** Each outbound message search's query. */
  readonly searches: URLSearchParams[] = [];
  failing = false;
  attempts = 0;
  onAccepted?: (mail: ReceivedMail) => Promise<void>;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      const body = await readBody(request);
      this.attempts++;
      const url = new URL(request.url ?? "/", "http://stand-in");
      const search = request.method === "GET" && url.pathname === "/messages/outbound";
      if (!search && (request.method !== "POST" || url.pathname !== "/email")) {
        response.writeHead(404).end();
        return;
      }
      if (this.failing) {
        response
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ ErrorCode: 100, Message: "Service unavailable" }));
        return;
      }
      if (search) {
        this.searches.push(url.searchParams);
        const found = this.search(url.searchParams);
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ TotalCount: found.length, Messages: found.map(asListed) }));
        return;
      }
      const mail = JSON.parse(body) as Omit<ReceivedMail, "token" | "MessageID">;
      const accepted: ReceivedMail = {
        ...mail,
        token: request.headers["x-postmark-server-token"] as string | undefined,
        MessageID: `stand-in-${this.received.length + 1}`,
      };
      this.received.push(accepted);
      await this.onAccepted?.(accepted);
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          To: mail.To,
          SubmittedAt: new Date().toISOString(),
          MessageID: accepted.MessageID,
          ErrorCode: 0,
          Message: "OK",
        }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Accepted messages matching every `metadata_<key>` filter of the query, newest first. */
  private search(query: URLSearchParams): ReceivedMail[] {
    const filters = [...query].filter(([name]) => name.startsWith("metadata_"));
    const count = Number(query.get("count") ?? 100);
    const offset = Number(query.get("offset") ?? 0);
    return this.received
      .filter((mail) => filters.every(([name, value]) => mail.Metadata?.[name.slice("metadata_".length)] === value))
      .reverse()
      .slice(offset, offset + count);
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.To.toLowerCase() === address.toLowerCase());
  }

  /** Waits until `address` has received `count` messages; fails the test after `timeoutMs`. */
  async waitFor(address: string, count = 1, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const mails = this.to(address);
      if (mails.length >= count) return mails;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`expected ${count} e-mail(s) to ${address}, got ${this.to(address).length}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function asListed(mail: ReceivedMail) {
  return {
    MessageID: mail.MessageID,
    Tag: mail.Tag,
    To: [{ Email: mail.To, Name: "" }],
    Recipients: [mail.To],
    From: mail.From,
    Subject: mail.Subject,
    Status: "Sent",
    Metadata: mail.Metadata ?? {},
    MessageStream: "outbound",
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

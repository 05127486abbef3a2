import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedMail {
  From: string;
  To: string;
  Subject: string;
  TextBody: string;
  HtmlBody: string;
  Tag?: string;
  token: string | undefined;
}

/** A local stand-in for Postmark's POST /email; it can be told to fail like an outage. */
export class PostmarkStandIn {
  readonly received: ReceivedMail[] = [];
  failing = false;
  attempts = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      const body = await readBody(request);
      this.attempts++;
      if (request.method !== "POST" || request.url !== "/email") {
        response.writeHead(404).end();
        return;
      }
      if (this.failing) {
        response
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ ErrorCode: 100, Message: "Service unavailable" }));
        return;
      }
      const mail = JSON.parse(body) as ReceivedMail;
      this.received.push({ ...mail, token: request.headers["x-postmark-server-token"] as string | undefined });
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          To: mail.To,
          SubmittedAt: new Date().toISOString(),
          MessageID: `stand-in-${this.received.length}`,
          ErrorCode: 0,
          Message: "OK",
        }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

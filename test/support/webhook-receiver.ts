import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  body: string;
  verified: boolean;
  status: number;
}

/** Checks a Standard Webhooks request the way docs/webhooks.md tells receivers to. */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const id = headers["webhook-id"];
  const timestamp = Number(headers["webhook-timestamp"]);
  const signatures = headers["webhook-signature"];
  if (!id || !Number.isInteger(timestamp) || !signatures) return false;
  if (Math.abs(nowSeconds - timestamp) > 5 * 60) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * A receiver on 127.0.0.1 that verifies each request with `secret` (set once known) and answers
 * the next status from `script` (then 200), 401 for a bad signature, after `delayMs` (a slow
 * receiver).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret = "";
  script: number[] = [];
  delayMs = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        const headers = request.headers as Record<string, string | undefined>;
        const verified = verifyWebhook(this.secret, headers, body);
        const status = verified ? (this.script.shift() ?? 200) : 401;
        this.received.push({
          id: headers["webhook-id"] ?? "",
          timestamp: Number(headers["webhook-timestamp"]),
          body,
          verified,
          status,
        });
        setTimeout(
          () =>
            response
              .writeHead(status, { "content-type": "text/plain" })
              .end(status === 200 ? "ok" : `status ${status}`),
          this.delayMs,
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

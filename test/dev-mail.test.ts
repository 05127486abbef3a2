import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggerOptions } from "../src/logging.js";
import { eventually } from "./support/eventually.js";
import { testKit, type TestKit } from "./support/kit.js";
import { uniqueEmail } from "./support/seed.js";

/** Every log line the server writes, parsed. */
class LogCapture extends Writable {
  readonly lines: Record<string, any>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) this.lines.push(JSON.parse(line));
    done();
  }
}

describe("in development, without a mail provider", () => {
  let kit: TestKit;
  const log = new LogCapture();
  beforeAll(async () => {
    // As `npm run dev` starts it: NODE_ENV development, no POSTMARK_SERVER_TOKEN, the mail worker on.
    kit = await testKit({ env: { NODE_ENV: "development" }, mailWorker: true, logger: loggerOptions("info", log) });
  });
  afterAll(() => kit?.close());

  it("prints the invitation link in the log and lists the message at /dev/mail", async () => {
    const acme = await kit.organization();
    const email = uniqueEmail("devmail");
    const created = await kit.client.post("/api/users", {
      token: acme.adminToken,
      body: { FirstName: "Dee", LastName: "Veloper", Email: email },
    });
    expect(created.status).toBe(200);
    const invitationPage = `${kit.server.config.PUBLIC_URL}/accept-invitation?token=`;
    const logged = await eventually(
      async () => log.lines.find((entry) => String(entry.msg).startsWith("e-mail logged, not sent")),
      (line) => line !== undefined,
    );
    expect(logged).toBeDefined();
    const link = (logged!.links as string[]).find((url) => url.startsWith(invitationPage));
    expect(link).toBeDefined();
    expect(logged!.msg).toContain(link);

    const page = await kit.client.get("/dev/mail");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain(email);
    expect(page.text).toContain(`<a href="${link!.replace(/&/g, "&#38;")}">`);
  });
});

describe("elsewhere", () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await testKit({ env: { NODE_ENV: "test" } });
  });
  afterAll(() => kit?.close());

  it("serves no /dev/mail", async () => {
    expect((await kit.client.get("/dev/mail")).status).toBe(404);
  });
});

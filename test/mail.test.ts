import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import { MailWorker } from "../src/mail/worker.js";
import { postmarkTransport } from "../src/mail/postmark-transport.js";
import { enqueueMail } from "../src/mail/outbox.js";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import type { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { seedOrganization, unique, uniqueEmail } from "./support/seed.js";
import { startServer, startServerWithMail } from "./support/server.js";

let postmark: PostmarkStandIn;
let server: Awaited<ReturnType<typeof startServerWithMail>>;
let client: Client;
let token: string;

beforeAll(async () => {
  server = await startServerWithMail({ env: { MAIL_FROM: "accounts@example.com" } });
  postmark = server.postmark;
  token = server.postmarkToken;
  client = new Client(server.url);
});
afterAll(() => server?.close());

async function outboxFor(address: string) {
  return server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, address));
}

/** The address's one outbox row, once the worker has put it in the state `accept` wants. */
async function rowFor(address: string, accept: (row: typeof mailOutbox.$inferSelect | undefined) => boolean) {
  return eventually(async () => (await outboxFor(address))[0], accept);
}

describe("the welcome e-mail when a user is made admin", () => {
  it("reaches the new admin through Postmark with the organization's name", async () => {
    const org = await seedOrganization(client);
    const other = await seedOrganization(client);
    const result = await client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: other.admin.email },
    });
    expect(result.status).toBe(200);

    const [mail] = await postmark.waitFor(other.admin.email);
    expect(mail).toMatchObject({ From: "accounts@example.com", To: other.admin.email, token, Tag: "admin-welcome" });
    expect(mail!.Subject).toContain(org.name);
    expect(mail!.TextBody).toContain(org.name);
    // The stand-in has it before the worker records the send.
    const row = await rowFor(other.admin.email, (found) => found?.status === "sent");
    expect(row).toMatchObject({ status: "sent", providerMessageId: expect.stringMatching(/^stand-in-/) });
  });

  it("is not sent twice when the user is already an admin", async () => {
    const org = await seedOrganization(client);
    const other = await seedOrganization(client);
    await client.post("/api/organizations/users/admins", { token: org.adminToken, body: { Email: other.admin.email } });
    await postmark.waitFor(other.admin.email);
    const again = await client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: other.admin.email },
    });
    expect(again.status).toBe(200);
    expect(await outboxFor(other.admin.email)).toHaveLength(1);
  });
});

describe("an e-mail outage", () => {
  it("never fails the request, and the message goes out once Postmark recovers", async () => {
    const org = await seedOrganization(client);
    const other = await seedOrganization(client);
    postmark.failing = true;
    try {
      const result = await client.post("/api/organizations/users/admins", {
        token: org.adminToken,
        body: { Email: other.admin.email },
      });
      expect(result.status).toBe(200);
      // Wait until the worker has recorded a refused attempt, so recovery is really tested.
      const pending = await rowFor(other.admin.email, (found) => Boolean(found?.lastError));
      // Usually the stand-in's 503; a reused keep-alive socket can fail first, which is an outage too.
      expect(pending).toMatchObject({ status: "pending", lastError: expect.any(String) });
      expect(postmark.to(other.admin.email)).toHaveLength(0);
    } finally {
      postmark.failing = false;
    }
    const [mail] = await postmark.waitFor(other.admin.email, 1, 15_000);
    expect(mail!.To).toBe(other.admin.email);
    const row = await rowFor(other.admin.email, (found) => found?.status === "sent");
    expect(row?.status).toBe("sent");
    expect(row!.attempts).toBeGreaterThan(1);
  });
});

describe("several workers on one database", () => {
  it("never send a message twice", async () => {
    const addresses = Array.from({ length: 30 }, () => uniqueEmail("fanout"));
    for (const to of addresses) {
      await enqueueMail(server.database.db, {
        to,
        template: "test",
        subject: unique("s"),
        text: "t",
        html: "<p>t</p>",
      });
    }
    const transport = postmarkTransport({
      serverToken: token,
      apiUrl: server.config.POSTMARK_API_URL,
      from: "a@example.com",
    });
    const workers = Array.from(
      { length: 3 },
      () =>
        new MailWorker(server.database.db, {
          transport,
          pollIntervalMs: 10,
          maxAttempts: 3,
          retryBaseMs: 10,
          batchSize: 4,
          log: server.app.log,
        }),
    );
    await Promise.all(workers.map((worker) => worker.runOnce().then(() => worker.runOnce())));
    await Promise.all(addresses.map((to) => postmark.waitFor(to)));
    for (const to of addresses) expect(postmark.to(to)).toHaveLength(1);
  });
});

describe("without a Postmark token", () => {
  it("logs the message and keeps it in the outbox instead of sending it", async () => {
    const quiet = await startServer({ env: { POSTMARK_SERVER_TOKEN: undefined } });
    try {
      const quietClient = new Client(quiet.url);
      const org = await seedOrganization(quietClient);
      const other = await seedOrganization(quietClient);
      const sentBefore = postmark.received.length;
      expect(
        (
          await quietClient.post("/api/organizations/users/admins", {
            token: org.adminToken,
            body: { Email: other.admin.email },
          })
        ).status,
      ).toBe(200);
      const row = await eventually(
        async () =>
          (await quiet.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, other.admin.email)))[0],
        (found) => found?.status === "logged",
      );
      expect(row).toMatchObject({ status: "logged", template: "admin-welcome" });
      expect(postmark.received.length).toBe(sentBefore);
    } finally {
      await quiet.close();
    }
  });
});

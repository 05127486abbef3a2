import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/db/ids.js";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import { uniqueEmail } from "./support/seed.js";
import { startServer } from "./support/server.js";

let kit: TestKit;
let client: Client;

// No mail worker: queued e-mail stays pending, so the outbox depth is known.
beforeAll(async () => {
  kit = await testKit({ mailWorker: false });
  client = kit.client;
});
afterAll(() => kit?.close());

/** The value of one sample line, e.g. `http_requests_total{method="GET",...}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split("\n")
    .find((row) => row.startsWith(`${name}{`) && wanted.every((label) => row.includes(label)));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("GET /metrics", () => {
  it("counts HTTP requests by route pattern and status, with latency histograms", async () => {
    await client.get("/api/organization");
    await client.get("/api/customers/C-1001");
    const scrape = await client.get("/metrics");
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get("content-type")).toContain("text/plain");
    const text = scrape.text;
    expect(sample(text, "http_requests_total", { route: "/api/organization", status: "401" })).toBeGreaterThanOrEqual(
      1,
    );
    // The pattern, never the customer number.
    expect(sample(text, "http_requests_total", { route: "/api/customers/:customerNumber", status: "401" })).toBe(1);
    expect(text).not.toContain("C-1001");
    expect(
      sample(text, "http_request_duration_seconds_count", { route: "/api/organization", method: "GET" }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("counts GraphQL operations by name and outcome", async () => {
    const org = await kit.organization();
    await client.graphql("query Probe { organization { id } }", {}, org.adminToken);
    await client.graphql("query Probe { organization { id } }");
    await client.graphql("query Probe { organization { id } }");
    await client.graphql("{ __typename }");
    const text = (await client.get("/metrics")).text;
    expect(sample(text, "graphql_operations_total", { operation: "Probe", outcome: "success" })).toBe(1);
    expect(sample(text, "graphql_operations_total", { operation: "Probe", outcome: "UNAUTHENTICATED" })).toBe(2);
    expect(sample(text, "graphql_operations_total", { operation: "anonymous", outcome: "success" })).toBe(1);
    expect(sample(text, "graphql_operation_duration_seconds_count", { operation: "Probe" })).toBe(3);
  });

  it("reports the outbox by status, shared by every instance on the database", async () => {
    const before = (await client.get("/metrics")).text;
    const org = await kit.organization();
    await client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "Queued", LastName: "Mail", Email: uniqueEmail("queued") },
    });
    await kit.server.database.db.insert(mailOutbox).values({
      id: newId(),
      template: "admin-welcome",
      toAddress: uniqueEmail("failed"),
      subject: "s",
      textBody: "t",
      htmlBody: "h",
      status: "failed",
      lastError: "422 refused",
    });
    const after = (await client.get("/metrics")).text;
    const pending = (text: string) => sample(text, "mail_outbox_messages", { status: "pending" });
    const failed = (text: string) => sample(text, "mail_outbox_messages", { status: "failed" });
    expect(pending(after)).toBe(pending(before) + 1);
    expect(failed(after)).toBe(failed(before) + 1);
    expect(after).toContain('mail_outbox_messages{status="sent"} 0');
  });

  it("asks for METRICS_TOKEN when one is configured", async () => {
    const guarded = await startServer({ env: { METRICS_TOKEN: "scrape-token-0123456789" } });
    try {
      const scraper = new Client(guarded.url);
      expect((await scraper.get("/metrics")).status).toBe(401);
      expect((await scraper.get("/metrics", { token: "wrong-token-0123456789" })).status).toBe(401);
      const ok = await scraper.get("/metrics", { token: "scrape-token-0123456789" });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain("http_requests_total");
    } finally {
      await guarded.close();
    }
  });
});

describe("GET /readyz while draining", () => {
  it("answers 503 after shutdown begins, while /healthz stays 200", async () => {
    const draining = await startServer();
    try {
      const probe = new Client(draining.url);
      expect((await probe.get("/readyz")).status).toBe(200);
      draining.startDraining();
      const ready = await probe.get("/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body.detail).toMatch(/shutting down/);
      expect((await probe.get("/healthz")).status).toBe(200);
    } finally {
      await draining.close();
    }
  });
});

import { eq } from "drizzle-orm";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { loggerOptions } from "../src/logging.js";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import { password, uniqueEmail } from "./support/seed.js";
import { startServer } from "./support/server.js";

const studio = "https://studio.apollographql.com";

/** Every log line the server writes, parsed. */
class LogCapture extends Writable {
  readonly lines: Record<string, any>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) this.lines.push(JSON.parse(line));
    done();
  }
  get text() {
    return this.lines.map((line) => JSON.stringify(line)).join("\n");
  }
}

let kit: TestKit;
let client: Client;
let log: LogCapture;

beforeAll(async () => {
  log = new LogCapture();
  kit = await testKit({
    env: { CORS_ORIGINS: `${studio}, http://app.example.test` },
    logger: loggerOptions("info", log),
  });
  client = kit.client;
});
afterAll(() => kit?.close());

const preflight = (path: string, origin: string) =>
  fetch(`${kit.server.url}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,authorization",
    },
  });

describe("CORS", () => {
  it("answers a preflight from an allowed origin with 204 and the allowing headers", async () => {
    for (const path of ["/graphql", "/api/organization"]) {
      const response = await preflight(path, studio);
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe(studio);
      expect(response.headers.get("access-control-allow-methods")).toContain("POST");
      expect(response.headers.get("access-control-allow-headers")).toContain("authorization");
      expect(response.headers.get("vary")).toMatch(/origin/i);
    }
    const call = await client.graphql("{ __typename }");
    expect(call.status).toBe(200);
    const fromStudio = await client.post("/graphql", {
      body: { query: "{ __typename }" },
      headers: { origin: studio },
    });
    expect(fromStudio.headers.get("access-control-allow-origin")).toBe(studio);
  });

  it("gives another origin no CORS headers", async () => {
    for (const path of ["/graphql", "/api/organization"]) {
      const response = await preflight(path, "https://evil.example");
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-methods")).toBeNull();
    }
    const call = await client.post("/graphql", {
      body: { query: "{ __typename }" },
      headers: { origin: "https://evil.example" },
    });
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("keeps Apollo's CSRF prevention: a simple GET operation without a preflight header is refused", async () => {
    const simple = await client.get("/graphql", { query: { query: "{ __typename }" } });
    expect(simple.status).toBe(400);
    const withHeader = await client.get("/graphql", {
      query: { query: "{ __typename }" },
      headers: { "apollo-require-preflight": "true" },
    });
    expect(withHeader.status).toBe(200);
  });

  it("refuses a CORS_ORIGINS entry that is not an http(s) origin", () => {
    expect(() => loadConfig({ CORS_ORIGINS: "studio.apollographql.com" })).toThrow(/CORS_ORIGINS/);
  });
});

describe("security headers and compression", () => {
  it("sends a CSP without inline script and the usual hardening headers", async () => {
    const page = await client.get("/", { headers: { accept: "text/html" } });
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("sends the same hardening headers on API answers and on a 404", async () => {
    for (const response of [
      await fetch(`${kit.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      }),
      await fetch(`${kit.server.url}/no/such/route`),
    ]) {
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    }
  });

  it("compresses large answers for clients that accept it, and not for others", async () => {
    const gzip = await fetch(`${kit.server.url}/openapi.json`, { headers: { "accept-encoding": "gzip" } });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    expect(((await gzip.json()) as { openapi: string }).openapi).toBe("3.1.0");
    const plain = await fetch(`${kit.server.url}/openapi.json`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
  });
});

describe("X-Request-Id", () => {
  it("is generated for every response and ignores a client's id without TRUST_PROXY", async () => {
    const first = await client.get("/healthz");
    const id = first.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const offered = await client.get("/healthz", { headers: { "x-request-id": "from-client-1" } });
    expect(offered.headers.get("x-request-id")).not.toBe("from-client-1");
    const missing = await client.get("/no/such/route");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).toBeTruthy();
  });

  it("is carried by every log line of its request", async () => {
    const response = await client.get("/api/organization");
    const id = response.headers.get("x-request-id")!;
    const lines = log.lines.filter((line) => line.reqId === id);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(["incoming request", "request completed"]));
  });

  it("takes a proxy's safe id when TRUST_PROXY is set, and replaces an unsafe one", async () => {
    const proxied = await startServer({ env: { TRUST_PROXY: "true" } });
    try {
      const behind = new Client(proxied.url);
      const safe = await behind.get("/healthz", { headers: { "x-request-id": "lb-7f3a:42" } });
      expect(safe.headers.get("x-request-id")).toBe("lb-7f3a:42");
      for (const unsafe of ["x".repeat(65), "id with spaces", "<script>"]) {
        const replaced = await behind.get("/healthz", { headers: { "x-request-id": unsafe } });
        expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await proxied.close();
    }
  });
});

describe("the log", () => {
  it("carries no tokens, passwords, e-mail addresses or invitation links", async () => {
    const org = await kit.organization();
    const invited = uniqueEmail("invitee");
    await client.get("/api/users/exists", { query: { Email: org.admin.email } });
    await client.post("/api/auth/sign-in", { body: { Email: org.admin.email, Password: "wrong-Password1" } });
    await client.get("/api/organization", { token: org.adminToken, headers: { accesstoken: org.adminToken } });
    const created = await client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "Ivy", LastName: "Invitee", Email: invited },
    });
    expect(created.status).toBe(200);

    // No Postmark token: the worker logs the invitation instead of sending it.
    const row = await eventually(
      async () => (await kit.server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, invited)))[0],
      (found) => found?.status === "logged",
    );
    const invitationToken = /token=([^\s&"]+)/.exec(row!.textBody)![1]!;
    const logged = await eventually(
      async () => log.lines.find((line) => line.mailId === row!.id),
      (line) => line !== undefined,
    );
    expect(logged).toMatchObject({ template: "user-invitation", recipient: "i***@example.com" });

    const text = log.text;
    for (const secret of [org.admin.email, invited, password, "wrong-Password1", org.adminToken, invitationToken]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('"url":"/api/users/exists?Email=***"');
  });

  it("refuses MAIL_LOG_BODIES in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", MAIL_LOG_BODIES: "true" })).toThrow(/MAIL_LOG_BODIES/);
    expect(loadConfig({ MAIL_LOG_BODIES: "true" }).MAIL_LOG_BODIES).toBe(true);
  });
});

import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKit, type TestKit } from "./support/kit.js";

let kit: TestKit;
beforeAll(async () => {
  kit = await testKit({ trustForgedTokens: true });
});
afterAll(() => kit?.close());

/** A POST sent exactly as given: fetch would add `text/plain` to a string body on its own. */
function rawPost(path: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string | undefined; body: any }>((resolve, reject) => {
    const sent = request(
      new URL(path, kit.server.url),
      { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () =>
          resolve({ status: response.statusCode!, type: response.headers["content-type"], body: JSON.parse(text) }),
        );
      },
    );
    sent.on("error", reject);
    sent.end(body);
  });
}

describe("a body without a Content-Type, or of one the route does not read", () => {
  it("gets a 415 problem on a REST route that says to send JSON", async () => {
    const body = JSON.stringify({ Email: "a@example.com", Password: "Password1234!" });
    const bare = await rawPost("/api/auth/sign-in", body);
    expect(bare.status).toBe(415);
    expect(bare.type).toMatch(/^application\/problem\+json/);
    expect(bare.body).toMatchObject({
      type: "/problems#unsupported-media-type",
      status: 415,
      detail: "The request has no Content-Type; send application/json",
    });
    const xml = await rawPost("/api/auth/sign-in", "<a/>", { "content-type": "application/xml; charset=utf-8" });
    expect(xml.body.detail).toBe("Content-Type application/xml is not accepted; send application/json");
  });

  it("gets a 415 GraphQL error body on /graphql", async () => {
    const bare = await rawPost("/graphql", JSON.stringify({ query: "{ __typename }" }));
    expect(bare.status).toBe(415);
    expect(bare.type).toMatch(/^application\/json/);
    expect(bare.body).toEqual({
      errors: [
        { message: "The request has no Content-Type; send application/json", extensions: { code: "BAD_REQUEST" } },
      ],
    });
  });

  it("is told the form type on the OAuth token endpoint", async () => {
    const bare = await rawPost("/oauth/token", "grant_type=client_credentials");
    expect(bare.status).toBe(415);
    expect(bare.body.detail).toBe("The request has no Content-Type; send application/x-www-form-urlencoded");
  });
});

describe("problem types", () => {
  it("link to a section of the served problem reference", async () => {
    const answers = [
      await kit.client.get("/api/organization"),
      await kit.client.get("/api/no-such-route"),
      await kit.client.post("/api/organizations", { body: { Organization: {} } }),
    ];
    const page = await kit.client.get("/problems", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(answers.map((answer) => [answer.status, answer.body.type])).toEqual([
      [401, "/problems#unauthenticated"],
      [404, "/problems#not-found"],
      [400, "/problems#bad-request"],
    ]);
    for (const answer of answers) {
      const section = (answer.body.type as string).split("#")[1];
      expect(page.text, section).toContain(`id="${section}"`);
    }
  });

  it("tell the holder of an expired token how to get a new one", async () => {
    const acme = await kit.organization();
    const expired = await kit.tokens.forged(
      { sub: acme.admin.userId, OrganizationId: acme.organizationId, Roles: ["Admin"] },
      { expiresIn: "1 minute ago" },
    );
    const answer = await kit.client.get("/api/organization", { token: expired });
    expect(answer.status).toBe(401);
    expect(answer.body.type).toBe("/problems#unauthenticated");
    expect(answer.body.detail).toMatch(/expired: get a new one \(sign in again, then POST \/api\/auth\/access/);
    const page = await kit.client.get("/problems");
    expect(page.text).toMatch(/An expired token<\/strong> is not renewed: get a new one/);
  });
});

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserWatch, editorValues, launchChromium, linkIn, onTestServer } from "./support/browser.js";
import type { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import { uniqueEmail } from "./support/seed.js";
import type { TestServer } from "./support/server.js";

let kit: TestKit;
let server: TestServer;
let client: Client;
let browser: Browser;
let context: BrowserContext;
const seen = new BrowserWatch();

beforeAll(async () => {
  kit = await testKit({ mail: true });
  server = kit.server;
  client = kit.client;
  browser = await launchChromium();
  context = seen.watch(await browser.newContext());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await kit?.close();
});

async function openPage(url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

describe("from the e-mail link to a signed-in call, in a browser", () => {
  it("sets the password from the invitation, signs in from the sign-in link and offers the organizations", async () => {
    const org = await kit.organization();
    const email = uniqueEmail("browser");
    const created = await client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "Bea", LastName: "Browser", Email: email },
    });
    expect(created.status).toBe(200);
    const [invitation] = await kit.postmark.waitFor(email);
    const invitationLink = linkIn(invitation!.TextBody, `${server.config.PUBLIC_URL}/accept-invitation?token=`);

    const accept = await openPage(onTestServer(server.url, invitationLink));
    // The token leaves the address bar once the page has read it.
    expect(accept.url()).toBe(`${server.url}/accept-invitation`);
    await accept.fill("#password", "Browser-Password-123");
    await accept.fill("#confirm", "Browser-Password-123");
    await accept.click("button[type=submit]");
    await accept.locator("#done").waitFor({ state: "visible" });

    // Made admin of a second organization, the account now has a password: that e-mail links to sign-in.
    const other = await kit.organization();
    expect(
      (await client.post("/api/organizations/users/admins", { token: other.adminToken, body: { Email: email } }))
        .status,
    ).toBe(200);
    const [, welcome] = await kit.postmark.waitFor(email, 2);
    const signInLink = linkIn(welcome!.TextBody, server.config.SIGN_IN_URL);
    expect(signInLink).toBe(`${server.config.PUBLIC_URL}/sign-in`);

    const signIn = await openPage(onTestServer(server.url, signInLink));
    await signIn.fill("#email", email);
    await signIn.fill("#password", "Browser-Password-123");
    await signIn.click("#sign-in button[type=submit]");
    await signIn.locator("#signed-in").waitFor({ state: "visible" });
    const organizations = await signIn
      .locator("#organization option")
      .evaluateAll((options) => options.map((option) => [option.getAttribute("value"), option.textContent]));
    expect(organizations).toEqual(
      expect.arrayContaining([
        [org.identityOrganizationId, org.name],
        [other.identityOrganizationId, other.name],
      ]),
    );
  }, 120_000);

  it("shows the API's message for a wrong password", async () => {
    const page = await openPage(`${server.url}/sign-in`);
    await page.fill("#email", uniqueEmail("nobody"));
    await page.fill("#password", "Not-the-password-1");
    await page.click("#sign-in button[type=submit]");
    await page.locator("#message").waitFor({ state: "visible" });
    expect(await page.locator("#message").textContent()).toMatch(/e-mail address or password is incorrect/i);
  }, 60_000);
});

describe("the IDE and the docs, offline", () => {
  it("GraphiQL at /graphql renders and runs a query", async () => {
    const page = await openPage(`${server.url}/graphql`);
    const editor = page.locator(".graphiql-query-editor .CodeMirror");
    await editor.waitFor({ state: "visible" });
    await editor.evaluate((element) => {
      (element as unknown as { CodeMirror: { setValue(value: string): void } }).CodeMirror.setValue(
        "query Ping { __typename }",
      );
    });
    // Until GraphiQL has parsed the new text it still sees the examples' three operations, and the
    // run button would open a menu to choose one.
    await expect
      .poll(() => page.locator(".graphiql-execute-button").getAttribute("aria-haspopup"), { timeout: 10_000 })
      .toBeNull();
    await page.click(".graphiql-execute-button");
    await expect
      .poll(() => page.locator(".graphiql-response").textContent(), { timeout: 20_000 })
      .toContain('"__typename": "Query"');
    expect(await page.locator("#sandbox").getAttribute("href")).toContain(
      `endpoint=${encodeURIComponent(`${server.url}/graphql`)}`,
    );
  }, 60_000);

  it("GraphiQL opens on this API's examples with a handed-over header, runs one, and keeps the header on reload", async () => {
    const org = await kit.organization();
    // A fresh profile: GraphiQL keeps editors in localStorage, and the examples show only on a first visit.
    const fresh = seen.watch(await browser.newContext());
    const page = await fresh.newPage();
    const authorization = `Bearer ${org.adminToken}`;
    try {
      await page.goto(`${server.url}/graphql#authorization=${encodeURIComponent(authorization)}`);
      await page.locator(".graphiql-query-editor .CodeMirror").waitFor({ state: "visible" });
      // The token leaves the address bar at once.
      expect(new URL(page.url()).hash).toBe("");
      const [query] = await editorValues(page);
      for (const operation of ["query Organization", "query Customers", "mutation CreatePriceTier"]) {
        expect(query).toContain(operation);
      }
      expect((await editorValues(page)).some((value) => value.includes(authorization))).toBe(true);

      await page.click(".graphiql-execute-button");
      await page.getByRole("menuitem", { name: "Organization" }).click();
      await expect
        .poll(() => page.locator(".graphiql-response").textContent(), { timeout: 20_000 })
        .toContain(`"name": "${org.name}"`);

      await page.reload();
      await page.locator(".graphiql-query-editor .CodeMirror").waitFor({ state: "visible" });
      await expect
        .poll(() => editorValues(page), { timeout: 10_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining(authorization)]));
    } finally {
      await fresh.close();
    }
  }, 90_000);

  it("/docs renders the REST reference", async () => {
    const page = await openPage(`${server.url}/docs`);
    await page.locator(".swagger-ui .opblock").first().waitFor({ state: "visible", timeout: 30_000 });
    expect(await page.locator("body").textContent()).toContain("/api/auth/sign-in");
  }, 60_000);

  it("the start page links to both IDEs, the docs and the metrics", async () => {
    const page = await openPage(`${server.url}/`);
    const links = await page.locator("a").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")));
    expect(links).toEqual(expect.arrayContaining(["/graphql", "/docs", "/openapi.json", "/metrics"]));
    expect(links.some((href) => href?.startsWith("https://studio.apollographql.com/sandbox"))).toBe(true);
  }, 60_000);
});

describe("the browser", () => {
  it("sent no request off the machine and met no CSP violation or script error", () => {
    expect(seen.requested.length).toBeGreaterThan(10);
    expect(seen.remote()).toEqual([]);
    expect(seen.problems).toEqual([]);
    // Only the wrong password was refused.
    expect(seen.refused).toEqual(["401 /api/auth/sign-in"]);
  });
});

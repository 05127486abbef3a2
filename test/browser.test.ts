import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./support/http.js";
import { seedOrganization, uniqueEmail } from "./support/seed.js";
import { startServerWithMail } from "./support/server.js";

// The Debian package; .ci/run installs it when missing.
const executablePath = "/usr/bin/chromium";
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const localHosts = new Set(["127.0.0.1", "localhost"]);

let server: Awaited<ReturnType<typeof startServerWithMail>>;
let client: Client;
let browser: Browser;
let context: BrowserContext;
/** Every URL the browser asked for, every answer above 399, every script error or CSP violation. */
const requested: string[] = [];
const refused: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  server = await startServerWithMail();
  client = new Client(server.url);
  browser = await chromium.launch({ executablePath, args });
  context = await browser.newContext();
  context.on("request", (request) => requested.push(request.url()));
  context.on("response", (response) => {
    if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  context.on("console", (message) => {
    // Refused requests are checked by URL below.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(message.text());
    }
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** An e-mail link points at PUBLIC_URL; the test server listens on another port of the same host. */
function onTestServer(link: string): string {
  const url = new URL(link);
  return `${server.url}${url.pathname}${url.search}`;
}

function linkIn(text: string, prefix: string): string {
  const link = text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no link starting ${prefix} in: ${text}`);
  return link;
}

async function openPage(url: string): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(url);
  return page;
}

describe("from the e-mail link to a signed-in call, in a browser", () => {
  it("sets the password from the invitation, signs in from the sign-in link and lists the organizations", async () => {
    const org = await seedOrganization(client);
    const email = uniqueEmail("browser");
    const created = await client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "Bea", LastName: "Browser", Email: email },
    });
    expect(created.status).toBe(200);
    const [invitation] = await server.postmark.waitFor(email);
    const invitationLink = linkIn(invitation!.TextBody, `${server.config.PUBLIC_URL}/accept-invitation?token=`);

    const accept = await openPage(onTestServer(invitationLink));
    // The token leaves the address bar once the page has read it.
    expect(accept.url()).toBe(`${server.url}/accept-invitation`);
    await accept.fill("#password", "Browser-Password-123");
    await accept.fill("#confirm", "Browser-Password-123");
    await accept.click("button[type=submit]");
    await accept.locator("#done").waitFor({ state: "visible" });

    // Made admin of a second organization, the account now has a password: that e-mail links to sign-in.
    const other = await seedOrganization(client);
    expect(
      (await client.post("/api/organizations/users/admins", { token: other.adminToken, body: { Email: email } }))
        .status,
    ).toBe(200);
    const [, welcome] = await server.postmark.waitFor(email, 2);
    const signInLink = linkIn(welcome!.TextBody, server.config.SIGN_IN_URL);
    expect(signInLink).toBe(`${server.config.PUBLIC_URL}/sign-in`);

    const signIn = await openPage(onTestServer(signInLink));
    await signIn.fill("#email", email);
    await signIn.fill("#password", "Browser-Password-123");
    await signIn.click("button[type=submit]");
    await signIn.locator("#signed-in").waitFor({ state: "visible" });
    const organizations = await signIn.locator("#organizations li").allTextContents();
    expect(organizations).toEqual(
      expect.arrayContaining([expect.stringContaining(org.name), expect.stringContaining(other.name)]),
    );
    expect(await signIn.locator("#result").textContent()).toContain(other.identityOrganizationId);
  }, 120_000);

  it("shows the API's message for a wrong password", async () => {
    const page = await openPage(`${server.url}/sign-in`);
    await page.fill("#email", uniqueEmail("nobody"));
    await page.fill("#password", "Not-the-password-1");
    await page.click("button[type=submit]");
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
    const org = await seedOrganization(client);
    // A fresh profile: GraphiQL keeps editors in localStorage, and the examples show only on a first visit.
    const fresh = await browser.newContext();
    fresh.on("request", (request) => requested.push(request.url()));
    fresh.on("response", (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    const page = await fresh.newPage();
    page.on("pageerror", (error) => problems.push(error.message));
    const editorValues = () =>
      page
        .locator(".CodeMirror")
        .evaluateAll((elements) =>
          elements.map((element) =>
            (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
          ),
        );
    const authorization = `Bearer ${org.adminToken}`;
    try {
      await page.goto(`${server.url}/graphql#authorization=${encodeURIComponent(authorization)}`);
      await page.locator(".graphiql-query-editor .CodeMirror").waitFor({ state: "visible" });
      // The token leaves the address bar at once.
      expect(new URL(page.url()).hash).toBe("");
      const [query] = await editorValues();
      for (const operation of ["query Organization", "query Customers", "mutation CreatePriceTier"]) {
        expect(query).toContain(operation);
      }
      expect((await editorValues()).some((value) => value.includes(authorization))).toBe(true);

      await page.click(".graphiql-execute-button");
      await page.getByRole("menuitem", { name: "Organization" }).click();
      await expect
        .poll(() => page.locator(".graphiql-response").textContent(), { timeout: 20_000 })
        .toContain(`"name": "${org.name}"`);

      await page.reload();
      await page.locator(".graphiql-query-editor .CodeMirror").waitFor({ state: "visible" });
      await expect
        .poll(editorValues, { timeout: 10_000 })
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
    expect(requested.length).toBeGreaterThan(10);
    const remote = requested.filter((url) => {
      const parsed = new URL(url);
      return !["data:", "blob:"].includes(parsed.protocol) && !localHosts.has(parsed.hostname);
    });
    expect(remote).toEqual([]);
    expect(problems).toEqual([]);
    // Only the wrong password was refused.
    expect(refused).toEqual(["401 /api/auth/sign-in"]);
  });
});

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserWatch, editorValues, launchChromium, linkIn, onTestServer } from "./support/browser.js";
import { eventually } from "./support/eventually.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims, password, uniqueEmail } from "./support/seed.js";

let kit: TestKit;
let acme: Organization;
let browser: Browser;
const seen = new BrowserWatch();

beforeAll(async () => {
  kit = await testKit({ mail: true });
  acme = await kit.organization();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await kit?.close();
});

/** A fresh profile each: GraphiQL keeps its editors in localStorage, and the examples show only on a first visit. */
async function freshContext(): Promise<BrowserContext> {
  return seen.watch(await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] }));
}

const status = (page: Page) => page.locator("#status").textContent();

describe("the developer portal at /sign-in", () => {
  it("takes an invited admin from the e-mail to a first GraphiQL query, and signs out", async () => {
    const email = uniqueEmail("portal");
    const invited = await kit.client.post("/api/users", {
      token: acme.adminToken,
      body: { FirstName: "Pia", LastName: "Portal", Email: email },
    });
    expect(invited.status).toBe(200);
    const madeAdmin = await kit.client.post("/api/organizations/users/admins", {
      token: acme.adminToken,
      body: { Email: email },
    });
    expect(madeAdmin.status).toBe(200);
    const mails = await kit.postmark.waitFor(email, 2);
    const invitation = mails.find((mail) => mail.Tag === "user-invitation")!;
    const invitationLink = linkIn(invitation.TextBody, `${kit.server.config.PUBLIC_URL}/accept-invitation?token=`);

    const context = await freshContext();
    try {
      const portal = await context.newPage();
      await portal.goto(onTestServer(kit.server.url, invitationLink));
      await portal.fill("#password", "Portal-Password-123");
      await portal.fill("#confirm", "Portal-Password-123");
      await portal.click("button[type=submit]");
      await portal.locator("#done").waitFor({ state: "visible" });

      // The page leads on to the portal with the address filled in, handed over out of the address bar.
      await portal.click("#done a");
      await portal.waitForURL(`${kit.server.url}/sign-in`);
      expect(await portal.inputValue("#email")).toBe(email);
      await portal.fill("#password", "Portal-Password-123");
      await portal.click("#sign-in button[type=submit]");
      await portal.locator("#signed-in").waitFor({ state: "visible" });
      expect(await portal.locator("#who").textContent()).toBe(email);
      expect(await portal.locator("#organization option").allTextContents()).toEqual([acme.name]);

      await portal.selectOption("#organization", acme.identityOrganizationId);
      await portal.click("#access button[type=submit]");
      await portal.locator("#token").waitFor({ state: "visible" });
      const token = await portal.inputValue("#access-token");
      const issued = claims(token);
      expect(issued).toMatchObject({ Email: email, OrganizationId: acme.organizationId, Roles: ["Admin"] });
      expect(await portal.locator("#token-organization").textContent()).toBe(acme.name);
      expect(await portal.locator("#token-roles").textContent()).toBe("Admin");
      expect(await portal.locator("#token-customer").textContent()).toBe("none");
      expect(await portal.locator("#token-expires time").getAttribute("datetime")).toBe(
        new Date(issued.exp * 1000).toISOString(),
      );
      expect(await status(portal)).toContain(`Access token for ${acme.name}`);
      expect(await portal.locator("#act-for").isHidden()).toBe(true);

      await portal.click("#copy");
      await expect.poll(() => status(portal), { timeout: 10_000 }).toBe("The token is copied.");
      expect(await portal.evaluate("navigator.clipboard.readText()")).toBe(token);

      const authorization = `Bearer ${token}`;
      const [graphiql] = await Promise.all([context.waitForEvent("page"), portal.click("#open-graphiql")]);
      await graphiql.locator(".graphiql-query-editor .CodeMirror").waitFor({ state: "visible" });
      // The header came in the fragment, which leaves the address bar at once.
      expect(graphiql.url()).toBe(`${kit.server.url}/graphql`);
      expect((await editorValues(graphiql)).some((value) => value.includes(authorization))).toBe(true);
      await graphiql.click(".graphiql-execute-button");
      await graphiql.getByRole("menuitem", { name: "Organization" }).click();
      await expect
        .poll(() => graphiql.locator(".graphiql-response").textContent(), { timeout: 20_000 })
        .toContain(`"name": "${acme.name}"`);
      await graphiql.reload();
      await graphiql.locator(".graphiql-query-editor .CodeMirror").waitFor({ state: "visible" });
      await expect
        .poll(() => editorValues(graphiql), { timeout: 10_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining(authorization)]));

      await portal.bringToFront();
      await portal.click("#sign-out");
      await expect
        .poll(() => status(portal), { timeout: 10_000 })
        .toBe("Signed out. The tokens of this sign-in no longer work.");
      expect(await portal.locator("#sign-in").isVisible()).toBe(true);
      expect(await portal.locator("#signed-in").isHidden()).toBe(true);
      expect(await portal.inputValue("#access-token")).toBe("");
      // Nothing of the session is left in the origin's storage, GraphiQL's copies included.
      expect(await graphiql.evaluate("Object.values(localStorage).join(' ')")).not.toContain(token);
      const afterSignOut = await kit.client.get("/api/organization", { token });
      expect(afterSignOut.status).toBe(401);
      expect(afterSignOut.body.detail).toBe("The bearer token's session has been signed out");
    } finally {
      await context.close();
    }
  }, 120_000);

  it("lets a sales rep act for one of its customers, and shows the server's reason for one it may not", async () => {
    const rep = await acme.salesRep();
    await acme.repToken(rep.email);
    const mine = await acme.customer({ repNumber: rep.repNumber });
    const notMine = await acme.customer();

    const context = await freshContext();
    try {
      const portal = await context.newPage();
      await portal.goto(`${kit.server.url}/sign-in`);
      await portal.fill("#email", rep.email);
      await portal.fill("#password", password);
      await portal.click("#sign-in button[type=submit]");
      await portal.locator("#signed-in").waitFor({ state: "visible" });
      // A rep assignment is no membership, and still an organization to choose.
      expect(await portal.locator("#organization option").allTextContents()).toEqual([`${acme.name} (sales rep)`]);
      await portal.click("#access button[type=submit]");
      await portal.locator("#act-for").waitFor({ state: "visible" });
      expect(await portal.locator("#token-roles").textContent()).toBe("SalesRep");
      const offered = await portal
        .locator("#customers option")
        .evaluateAll((options) => options.map((option) => option.getAttribute("value")));
      expect(offered).toEqual([mine.customerNumber]);

      await portal.fill("#customer", notMine.customerNumber);
      await portal.click("#act-for button[type=submit]");
      await portal.locator("#message").waitFor({ state: "visible" });
      const refusal = await kit.client.post("/api/auth/access", {
        token: await kit.client
          .post("/api/auth/sign-in", { body: { Email: rep.email, Password: password } })
          .then((answer) => answer.body.AccessToken as string),
        body: { IdentityOrganizationId: acme.identityOrganizationId, CustomerNumber: notMine.customerNumber },
      });
      expect(refusal.status).toBe(403);
      expect(await portal.locator("#message").textContent()).toBe(refusal.body.detail);

      await portal.fill("#customer", mine.customerNumber);
      await portal.click("#act-for button[type=submit]");
      await expect
        .poll(() => portal.locator("#token-customer").textContent(), { timeout: 10_000 })
        .toBe(mine.customerNumber);
      expect(await portal.locator("#message").isHidden()).toBe(true);
      expect(claims(await portal.inputValue("#access-token"))).toMatchObject({
        CustomerNumber: mine.customerNumber,
        Roles: ["SalesRep"],
      });
    } finally {
      await context.close();
    }
  }, 120_000);

  it("leads from a password-reset link's page to the portal, where the new password signs in", async () => {
    const member = await acme.member();
    const requested = await kit.client.post("/api/auth/password-reset", { body: { Email: member.email } });
    expect(requested.status).toBe(202);
    const resetUrl = `${kit.server.config.PASSWORD_RESET_URL}?token=`;
    const mails = await eventually(
      async () => kit.postmark.to(member.email).filter((mail) => mail.TextBody.includes(resetUrl)),
      (found) => found.length > 0,
    );
    const resetLink = linkIn(mails[0]!.TextBody, resetUrl);

    const context = await freshContext();
    try {
      const portal = await context.newPage();
      await portal.goto(onTestServer(kit.server.url, resetLink));
      await portal.fill("#password", "Reset-Password-456");
      await portal.fill("#confirm", "Reset-Password-456");
      await portal.click("button[type=submit]");
      await portal.locator("#done").waitFor({ state: "visible" });
      await portal.click("#done a");
      await portal.waitForURL(`${kit.server.url}/sign-in`);
      await portal.fill("#email", member.email);
      await portal.fill("#password", "Reset-Password-456");
      await portal.click("#sign-in button[type=submit]");
      await portal.locator("#signed-in").waitFor({ state: "visible" });
      expect(await portal.locator("#organization option").allTextContents()).toContain(acme.name);
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe("the browser", () => {
  it("sent no request off the machine and met no CSP violation or script error", () => {
    expect(seen.requested.length).toBeGreaterThan(10);
    expect(seen.remote()).toEqual([]);
    expect(seen.problems).toEqual([]);
    // Only the customer outside the rep's scope was refused.
    expect(seen.refused).toEqual(["403 /api/auth/access"]);
  });
});

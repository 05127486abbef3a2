import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

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

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath, args });

/** Every URL a watched browser context asked for, every answer above 399, every script error or CSP violation. */
export class BrowserWatch {
  readonly requested: string[] = [];
  readonly refused: string[] = [];
  readonly problems: string[] = [];

  watch(context: BrowserContext): BrowserContext {
    context.on("request", (request) => this.requested.push(request.url()));
    context.on("response", (response) => {
      if (response.status() >= 400) this.refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    context.on("console", (message) => {
      // Refused requests are checked by URL.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        this.problems.push(message.text());
      }
    });
    context.on("page", (page) => page.on("pageerror", (error) => this.problems.push(error.message)));
    return context;
  }

  /** The requests that left the machine. */
  remote(): string[] {
    return this.requested.filter((url) => {
      const parsed = new URL(url);
      return !["data:", "blob:"].includes(parsed.protocol) && !localHosts.has(parsed.hostname);
    });
  }
}

/** An e-mail link points at PUBLIC_URL; the test server listens on another port of the same host. */
export function onTestServer(serverUrl: string, link: string): string {
  const url = new URL(link);
  return `${serverUrl}${url.pathname}${url.search}`;
}

export function linkIn(text: string, prefix: string): string {
  const link = text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no link starting ${prefix} in: ${text}`);
  return link;
}

/** The values of every CodeMirror editor on GraphiQL's page: the query, variables and headers. */
export const editorValues = (page: Page): Promise<string[]> =>
  page
    .locator(".CodeMirror")
    .evaluateAll((elements) =>
      elements.map((element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue()),
    );

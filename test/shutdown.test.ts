import { describe, expect, it } from "vitest";
import { startServer } from "./support/server.js";

/** Replaces `target[method]` with one that notes `name` in `order` before it runs the original. */
function noteCalls<T extends object>(target: T, method: keyof T & string, name: string, order: string[]): void {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  Object.assign(target, { [method]: (...args: unknown[]) => (order.push(name), original(...args)) });
}

describe("shutdown", () => {
  it("waits for a handler whose client has gone, then stops the workers and pruners, and closes the rate limiter last", async () => {
    const server = await startServer({ mailWorker: false });
    const order: string[] = [];
    noteCalls(server.mailWorker, "stop", "mail", order);
    noteCalls(server.auditPruner, "stop", "audit", order);
    noteCalls(server.idempotencyPruner, "stop", "idempotency", order);
    for (const pruner of server.credentialPruners) noteCalls(pruner, "stop", "credentials", order);
    noteCalls(server.webhookWorker, "stop", "webhooks", order);
    noteCalls(server.services.limiter, "close", "limiter", order);

    // The sign-in's rate check is held until the test lets it go: a handler still running.
    const { limiter } = server.services;
    const hit = limiter.hit.bind(limiter);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    limiter.hit = async (...args) => {
      entered();
      await held;
      return hit(...args);
    };
    const abort = new AbortController();
    const sent = fetch(`${server.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "nobody@example.com", password: "not-the-password" }),
      signal: abort.signal,
    }).catch(() => undefined);
    await inHandler;
    abort.abort();
    await sent;

    const closed = server.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual([]);
    release();
    await closed;
    expect(order).toEqual([
      "mail",
      "audit",
      "idempotency",
      ...server.credentialPruners.map(() => "credentials"),
      "webhooks",
      "limiter",
    ]);
  });
});

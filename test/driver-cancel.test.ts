import { createServer, Socket, type Server } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OwnPostgres } from "./support/own-postgres.js";

/**
 * postgres.js cancels a running statement over a connection of its own, and its `cancel()` drops
 * the promise that connection settles: unpatched, a cancel request the server refuses is an
 * unhandled rejection, which ends a process (patches/postgres+3.4.9.patch). Reached through a
 * proxy that stops accepting connections while the statement's own connection stays up.
 */

const cluster = await OwnPostgres.started();
if (typeof cluster === "string") console.log(`driver-cancel.test.ts skipped (${cluster})`);

describe.skipIf(typeof cluster === "string")("cancelling a statement when the server refuses new connections", () => {
  const own = cluster as OwnPostgres;
  let proxy: Server;
  const piped = new Set<Socket>();
  let proxyPort = 0;

  beforeAll(async () => {
    proxy = createServer((inbound) => {
      const outbound = new Socket().connect(own.port, "127.0.0.1");
      for (const socket of [inbound, outbound]) {
        piped.add(socket);
        socket.on("error", () => socket.destroy());
        socket.on("close", () => piped.delete(socket));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyPort = (proxy.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const socket of piped) socket.destroy();
    own.destroy();
  });

  it("leaves no unhandled rejection, and the statement still settles", { timeout: 30_000 }, async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    const sql = postgres(`postgres://postgres@127.0.0.1:${proxyPort}/postgres`, { max: 1, onnotice: () => undefined });
    try {
      await sql`select 1`;
      const running = sql`select pg_sleep(3)`;
      const settled = running.then(
        () => "completed",
        (error: { code?: string }) => error.code ?? "failed",
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      // New connections are refused from here on; the one running the statement stays (close's
      // callback would wait for it).
      proxy.close();
      running.cancel();
      expect(await settled).toBe("completed");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", record);
      await sql.end({ timeout: 1 });
    }
  });
});

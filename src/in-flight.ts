import type { FastifyInstance, FastifyRequest } from "fastify";

/**
 * Counts requests whose handler is still running. Fastify's close() waits for open connections
 * only, and a client that disconnects mid-request closes its connection while the handler goes on
 * querying; shutdown must wait for those too before it closes the database.
 */
export function trackInFlight(app: FastifyInstance): { drained(timeoutMs: number): Promise<void> } {
  const running = new Set<FastifyRequest>();
  let idle: (() => void) | undefined;
  const finish = async (request: FastifyRequest) => {
    running.delete(request);
    if (running.size === 0) idle?.();
  };
  app.addHook("onRequest", async (request) => void running.add(request));
  // onSend runs once the handler has produced its answer (or error), whether or not the client is still there.
  app.addHook("onSend", async (request) => void finish(request));
  app.addHook("onResponse", finish);
  return {
    async drained(timeoutMs) {
      if (running.size === 0) return;
      await new Promise<void>((resolve) => {
        idle = resolve;
        setTimeout(resolve, timeoutMs).unref();
      });
    },
  };
}

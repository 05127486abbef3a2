import type { Server } from "node:http";
import type { FastifyInstance } from "fastify";

/**
 * How long a kept-alive connection that is idle when the listener closes stays open. A request the
 * client sent just before it learnt of the drain is still on its way; closing the socket under it
 * loses that request (the client sees a reset and cannot know whether it ran). One that arrives
 * within this time is answered, with `Connection: close`.
 */
export const idleLingerMs = 1000;

/**
 * Makes a shutdown lose no request on a connection that is already open: from `start()` every
 * answer carries `Connection: close` (the client opens a new connection for its next request, by
 * then to another instance), requests arriving while the server closes are served rather than
 * refused with Fastify's 503 (`return503OnClosing: false` in the app's options), and idle
 * keep-alive connections are closed `idleLingerMs` after the listener instead of at once.
 */
export function drainConnections(app: FastifyInstance): { start(): void; readonly draining: boolean } {
  let draining = false;
  app.addHook("onSend", async (request, reply) => {
    if (draining && request.raw.httpVersionMajor === 1) reply.header("connection", "close");
  });
  // http.Server#close closes idle connections itself (Node 19+), in the same call that stops the
  // listener; delaying only that part keeps close() refusing new connections at once.
  const server: Server = app.server;
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => void setTimeout(closeIdle, idleLingerMs).unref();
  return {
    start: () => {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}

import type { FastifyInstance } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { isDatabaseUnavailable } from "../db/errors.js";
import { unavailable } from "../errors.js";
import { refuseMediaType } from "../http/media-type.js";
import { sendProblem } from "../rest/problem.js";

/**
 * Every error and unknown route as a problem document. On the root instance (fastify-plugin), and
 * registered before the route plugins: a child instance takes the handler its parent has when it is created.
 */
export const problemHandlers = fastifyPlugin(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return refuseMediaType(request, reply);
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, "request failed");
        // A database outage met outside an operation (a hook, a plain route) is as retryable there.
        if (isDatabaseUnavailable(error)) {
          return sendProblem(reply, { status: 503, detail: unavailable.message, retryAfter: unavailable.retryAfter });
        }
        return sendProblem(reply, { status: 500, detail: "An unexpected error occurred" });
      }
      // Fastify's own 4xx messages (bad JSON, body too large, wrong content type) are safe to show.
      return sendProblem(reply, { status, detail: error.message });
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, { status: 404, detail: `No route ${request.method} ${request.url.split("?")[0]}` }),
    );
  },
  { name: "problem-handlers" },
);

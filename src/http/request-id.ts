import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Short and plain: an id a proxy sends ends up in log lines and response headers verbatim. */
const safeRequestId = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Fastify's `genReqId`: the proxy's X-Request-Id when the proxy is trusted and the id is safe,
 * else a fresh one. Fastify's `requestIdHeader` would take any header value unchecked.
 */
export function requestIdGenerator(trustProxy: boolean): (request: IncomingMessage) => string {
  return (request) => {
    const offered = request.headers["x-request-id"];
    if (trustProxy && typeof offered === "string" && safeRequestId.test(offered)) return offered;
    return randomUUID();
  };
}

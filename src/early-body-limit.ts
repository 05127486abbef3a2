import type { FastifyInstance } from "fastify";
import { problemBody } from "./rest/problem.js";

/**
 * A client that sends `Expect: 100-continue` waits for the server's go-ahead before sending its
 * body. Node gives the server that choice ('checkContinue'); an oversize Content-Length is then
 * answered 413 before a byte of the body is sent, rather than after the server stops reading,
 * which a client still sending sees as a reset. Every other request continues into Fastify.
 */
export function refuseOversizeBodiesEarly(
  app: FastifyInstance,
  defaultLimit: number,
  routeLimit: (method: string, path: string) => number | undefined = () => undefined,
): void {
  app.server.on("checkContinue", (request, response) => {
    const length = Number(request.headers["content-length"]);
    const bodyLimit = routeLimit(request.method ?? "", (request.url ?? "").split("?")[0]!) ?? defaultLimit;
    if (!(length > bodyLimit)) {
      response.writeContinue();
      app.routing(request, response);
      return;
    }
    const body = JSON.stringify(
      problemBody({ status: 413, detail: `The request body is ${length} bytes; at most ${bodyLimit} are allowed` }),
    );
    response.writeHead(413, {
      "content-type": "application/problem+json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      connection: "close",
    });
    response.end(body);
  });
}

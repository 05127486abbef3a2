import type { FastifyReply, FastifyRequest } from "fastify";
import { sendProblem } from "../rest/problem.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The body media types a route takes, for the 415 answer; JSON when unset. */
    accepts?: readonly string[];
  }
}

const json = ["application/json"];

/**
 * Fastify refuses a body it has no parser for with a bare "Unsupported Media Type"; a client that
 * forgot the header (curl -d sends none it names) is told what to send instead. /graphql answers
 * in GraphQL's own error shape, as every other answer there does.
 */
export function refuseMediaType(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const accepted = request.routeOptions.config?.accepts ?? json;
  const sent = request.headers["content-type"];
  const detail = `${sent ? `Content-Type ${sent.split(";")[0]} is not accepted` : "The request has no Content-Type"}; send ${accepted.join(" or ")}`;
  if (request.routeOptions.url === "/graphql") {
    return reply
      .code(415)
      .type("application/json")
      .send({ errors: [{ message: detail, extensions: { code: "BAD_REQUEST" } }] });
  }
  return sendProblem(reply, { status: 415, detail });
}

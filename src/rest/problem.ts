import { STATUS_CODES } from "node:http";
import type { FastifyReply } from "fastify";
import type { ErrorCode, FieldErrors } from "../errors.js";

export const statusForCode: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  CONFLICT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export interface Problem {
  status: number;
  detail: string;
  errors?: FieldErrors;
  retryAfter?: number;
}

/** RFC 9457 problem details; `about:blank` because the status says what kind of problem it is. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.retryAfter) reply.header("retry-after", String(problem.retryAfter));
  return reply
    .code(problem.status)
    .type("application/problem+json")
    .send({
      type: "about:blank",
      title: STATUS_CODES[problem.status] ?? "Error",
      status: problem.status,
      detail: problem.detail,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

/** The create-sales-rep document's own envelope for errors. */
export function sendEnvelopeError(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.retryAfter) reply.header("retry-after", String(problem.retryAfter));
  return reply
    .code(problem.status)
    .send({ success: false, message: problem.detail, ...(problem.errors ? { errors: problem.errors } : {}) });
}

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

/** A whole REST answer before it is sent, so it can also be kept (idempotency keys) and sent again. */
export interface RestAnswer {
  status: number;
  headers: Record<string, string>;
  /** Undefined: an empty body. */
  body?: unknown;
}

/** RFC 9457 problem details; `about:blank` because the status says what kind of problem it is. */
export function problemAnswer(problem: Problem): RestAnswer {
  return {
    status: problem.status,
    headers: {
      "content-type": "application/problem+json",
      ...(problem.retryAfter ? { "retry-after": String(problem.retryAfter) } : {}),
    },
    body: {
      type: "about:blank",
      title: STATUS_CODES[problem.status] ?? "Error",
      status: problem.status,
      detail: problem.detail,
      ...(problem.errors ? { errors: problem.errors } : {}),
    },
  };
}

/** The create-sales-rep document's own envelope for errors. */
export function envelopeAnswer(problem: Problem): RestAnswer {
  return {
    status: problem.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      ...(problem.retryAfter ? { "retry-after": String(problem.retryAfter) } : {}),
    },
    body: { success: false, message: problem.detail, ...(problem.errors ? { errors: problem.errors } : {}) },
  };
}

export function sendAnswer(reply: FastifyReply, answer: RestAnswer): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  return answer.body === undefined ? reply.send() : reply.send(answer.body);
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return sendAnswer(reply, problemAnswer(problem));
}

export function sendEnvelopeError(reply: FastifyReply, problem: Problem): FastifyReply {
  return sendAnswer(reply, envelopeAnswer(problem));
}

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

/** The sections of the served problem reference (`GET /problems`, web/problems.html), by status. */
export const problemSections: Record<number, string> = {
  400: "bad-request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not-found",
  413: "body-too-large",
  415: "unsupported-media-type",
  429: "too-many-requests",
  500: "internal-error",
  503: "unavailable",
};

/**
 * A problem's `type`: the section of the served reference that explains it and what to do, as a
 * reference relative to this server (RFC 9457 §3.1.1), so it holds behind any host name or proxy.
 */
export function problemType(status: number): string {
  const section = problemSections[status];
  return section ? `/problems#${section}` : "about:blank";
}

/** RFC 9457 problem details. */
export function problemBody(problem: Omit<Problem, "retryAfter">) {
  return {
    type: problemType(problem.status),
    title: STATUS_CODES[problem.status] ?? "Error",
    status: problem.status,
    detail: problem.detail,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

/** A problem as a whole answer. */
export function problemAnswer(problem: Problem): RestAnswer {
  return {
    status: problem.status,
    headers: {
      "content-type": "application/problem+json",
      ...(problem.retryAfter ? { "retry-after": String(problem.retryAfter) } : {}),
    },
    body: problemBody(problem),
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

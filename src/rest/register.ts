import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { createContext, type AppServices, type RequestContext } from "../context.js";
import type { CompiledExecution } from "../graphql/compiled-execution.js";
import { classifyError, type FieldErrors } from "../errors.js";
import { bindVariables, expandQuery, isPlainObject, reservedKeyProblem } from "./bind.js";
import { casePath, caseKeys } from "./casing.js";
import { enumValuesToInternal } from "./enum-values.js";
import { envelopeAnswer, problemAnswer, sendAnswer, statusForCode, type Problem, type RestAnswer } from "./problem.js";
import {
  abandonIdempotencyKey,
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyKeyProblem,
  idempotencyScope,
  isReplayable,
  requestFingerprint,
} from "../features/idempotency/idempotency.service.js";
import type { RestRoute } from "./route.js";

export interface PreparedRoute {
  route: RestRoute;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  rootField: string;
  /** Whether the operation's root field is open to anonymous callers. */
  isPublic: boolean;
}

/** Tells whether a root field (`Query.userExists`) is public, from the rule table. */
export type PublicFieldCheck = (type: "Query" | "Mutation", field: string) => boolean;

/**
 * Parses a route's document once. It is not validated here: the documents are constants of the code,
 * test/schema.test.ts validates every one against the schema, so a broken one fails the tests, and
 * validating all of them at every start was an eighth of start-up.
 */
export function prepareRoute(route: RestRoute, isPublicField: PublicFieldCheck): PreparedRoute {
  const document = parse(route.operation);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const [operation] = operations;
  if (!operation || operations.length !== 1)
    throw new Error(`${route.method} ${route.path}: needs exactly one operation`);
  const first = operation.selectionSet.selections[0];
  const rootField = first?.kind === Kind.FIELD ? (first.alias ?? first.name).value : "";
  const fieldName = first?.kind === Kind.FIELD ? first.name.value : "";
  const isPublic = isPublicField(operation.operation === "mutation" ? "Mutation" : "Query", fieldName);
  return { route, document, operation, rootField, isPublic };
}

export function registerRestRoutes(
  app: FastifyInstance,
  execution: CompiledExecution,
  services: AppServices,
  routes: readonly PreparedRoute[],
): void {
  for (const prepared of routes) {
    // Compiled at its first request (and kept: a route's document never changes), not here: compiling
    // every route was a fifth of start-up, for routes an instance may never serve.
    app.route({
      method: prepared.route.method,
      url: prepared.route.path,
      ...(prepared.route.bodyLimit ? { bodyLimit: prepared.route.bodyLimit } : {}),
      handler: (request, reply) => handle(prepared, execution, services, request, reply),
    });
  }
}

/** A route's errors: problem details, or the create-sales-rep envelope. */
const failureAnswer =
  (route: RestRoute) =>
  (problem: Problem): RestAnswer =>
    route.errorFormat === "envelope" ? envelopeAnswer(problem) : problemAnswer(problem);

/** The methods that change something: where an Idempotency-Key applies. */
const writeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

async function handle(
  prepared: PreparedRoute,
  execution: CompiledExecution,
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { route } = prepared;
  const fail = failureAnswer(route);

  const body = request.body;
  if (body !== undefined && body !== null && !isPlainObject(body)) {
    return sendAnswer(reply, fail({ status: 400, detail: "The request body must be a JSON object" }));
  }
  const contextValue = await createContext(services, request, { tokenHeaders: route.tokenHeaders });
  // An anonymous caller hears that it must authenticate before anything about its input.
  if (!prepared.isPublic && contextValue.auth.tokenKind === null) {
    return sendAnswer(
      reply,
      fail({ status: 401, detail: contextValue.auth.tokenProblem ?? "A valid bearer token is required" }),
    );
  }
  const run = () => answer(prepared, execution, contextValue, request);
  const key = request.headers["idempotency-key"];
  if (!writeMethods.has(route.method) || key === undefined) return sendAnswer(reply, await run());
  return sendAnswer(
    reply,
    await withIdempotencyKey(contextValue, Array.isArray(key) ? key.join(",") : key, request, fail, run, reply),
  );
}

/**
 * Runs a write under its Idempotency-Key: the first answer is kept for the caller, and a retry with
 * the same key and request gets it again (`Idempotent-Replayed: true`) instead of running again.
 */
async function withIdempotencyKey(
  ctx: RequestContext,
  key: string,
  request: FastifyRequest,
  fail: (problem: Problem) => RestAnswer,
  run: () => Promise<RestAnswer>,
  reply: FastifyReply,
): Promise<RestAnswer> {
  const scope = await idempotencyScope(ctx.auth);
  if (!scope) return run();
  const problem = idempotencyKeyProblem(key);
  if (problem) return fail({ status: 400, detail: `Idempotency-Key ${problem}` });
  const fingerprint = requestFingerprint([
    request.method,
    request.routeOptions.url,
    request.params,
    request.query,
    request.body ?? null,
  ]);
  const claim = await claimIdempotencyKey(ctx.db, {
    scope,
    key,
    fingerprint,
    ttlHours: ctx.config.IDEMPOTENCY_KEY_TTL_HOURS,
  });
  switch (claim.kind) {
    case "mismatch":
      return fail({ status: 422, detail: "This Idempotency-Key was used with a different request" });
    case "running":
      return fail({
        status: 409,
        detail: "A request with this Idempotency-Key is still running; retry later",
        retryAfter: 1,
      });
    case "replay":
      reply.header("idempotent-replayed", "true");
      return { status: claim.answer.status, headers: claim.answer.headers, body: claim.answer.body || undefined };
  }
  let result: RestAnswer;
  try {
    result = await run();
  } catch (error) {
    await abandonIdempotencyKey(ctx.db, claim).catch((cause: unknown) =>
      request.log.warn({ err: cause }, "idempotency key not released"),
    );
    throw error;
  }
  // The change has happened: failing to keep its answer must not turn it into an error.
  const keep = isReplayable(result.status)
    ? completeIdempotencyKey(ctx.db, claim, {
        status: result.status,
        headers: result.headers,
        body: result.body === undefined ? "" : JSON.stringify(result.body),
      })
    : abandonIdempotencyKey(ctx.db, claim);
  await keep.catch((error: unknown) => request.log.warn({ err: error }, "idempotency key answer not kept"));
  return result;
}

/** Binds the request, runs the route's operation and maps its result to the documented answer. */
async function answer(
  prepared: PreparedRoute,
  execution: CompiledExecution,
  contextValue: RequestContext,
  request: FastifyRequest,
): Promise<RestAnswer> {
  const { route } = prepared;
  const { schema } = execution;
  const fail = failureAnswer(route);
  const body = request.body;
  const { query, reserved } = expandQuery((request.query ?? {}) as Record<string, unknown>);
  if (reserved.length > 0) {
    return fail(validationProblem(Object.fromEntries(reserved.map((name) => [name, reservedKeyProblem])), route));
  }
  const source = Object.assign(Object.create(null) as Record<string, unknown>, query, request.params, body);

  const binding = bindVariables(schema, prepared.operation, source, route.bodyAs, body === undefined || body === null);
  if (Object.keys(binding.errors).length > 0) {
    return fail(validationProblem(binding.errors, route));
  }

  const result = await execution.execute({
    document: prepared.document,
    variableValues: binding.variables,
    contextValue,
  });
  if (result.errors?.length) {
    return fail(toProblem(result.errors[0]!, route, request));
  }
  const data = enumValuesToInternal(schema, prepared.operation, (result.data ?? {}) as Record<string, unknown>);
  const response = route.respond ? route.respond(data) : { body: data[prepared.rootField] };
  return {
    status: response.status ?? route.successStatus ?? 200,
    headers: {
      ...(response.body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
      ...response.headers,
    },
    body: response.body === undefined ? undefined : caseKeys(response.body, route.casing),
  };
}

function validationProblem(errors: FieldErrors, route: RestRoute): Problem {
  const cased = Object.fromEntries(
    Object.entries(errors).map(([path, message]) => [casePath(path, route.casing), message]),
  );
  const entries = Object.entries(cased);
  const detail =
    entries.length === 1 ? `${entries[0]![0]} ${entries[0]![1]}` : `The request has ${entries.length} invalid fields`;
  return { status: 400, detail, errors: cased };
}

function toProblem(error: GraphQLError, route: RestRoute, request: FastifyRequest): Problem {
  if (!error.path && !error.originalError) {
    // Variable coercion the binder let through: still the client's input.
    return { status: 400, detail: error.message };
  }
  const client = classifyError(error.originalError ?? error, (original) =>
    request.log.error({ err: original }, "REST operation failed"),
  );
  const status = route.statusFor?.[client.code] ?? statusForCode[client.code];
  if (!client.errors) return { status, detail: client.message, retryAfter: client.retryAfter };
  // Field errors speak the route's casing, in the detail as well as the map.
  return { ...validationProblem(client.errors, route), status, retryAfter: client.retryAfter };
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { createContext, type AppServices } from "../context.js";
import type { CompiledExecution } from "../graphql/compiled-execution.js";
import { classifyError, type FieldErrors } from "../errors.js";
import { bindVariables, expandQuery, isPlainObject, reservedKeyProblem } from "./bind.js";
import { casePath, caseKeys } from "./casing.js";
import { enumValuesToInternal } from "./enum-values.js";
import { sendEnvelopeError, sendProblem, statusForCode, type Problem } from "./problem.js";
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

/** Parses and validates a route's document once; a broken route stops start-up, not a request. */
export function prepareRoute(schema: GraphQLSchema, route: RestRoute, isPublicField: PublicFieldCheck): PreparedRoute {
  const document = parse(route.operation);
  const problems = validate(schema, document);
  if (problems.length > 0) {
    throw new Error(`${route.method} ${route.path}: ${problems.map((p) => p.message).join("; ")}`);
  }
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
    // Compiled at start-up: a route's document never changes.
    execution.plan(prepared.document);
    app.route({
      method: prepared.route.method,
      url: prepared.route.path,
      ...(prepared.route.bodyLimit ? { bodyLimit: prepared.route.bodyLimit } : {}),
      handler: (request, reply) => handle(prepared, execution, services, request, reply),
    });
  }
}

async function handle(
  prepared: PreparedRoute,
  execution: CompiledExecution,
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { route } = prepared;
  const { schema } = execution;
  const fail = (problem: Problem) =>
    route.errorFormat === "envelope" ? sendEnvelopeError(reply, problem) : sendProblem(reply, problem);

  const body = request.body;
  if (body !== undefined && body !== null && !isPlainObject(body)) {
    return fail({ status: 400, detail: "The request body must be a JSON object" });
  }
  const contextValue = await createContext(services, request, { tokenHeaders: route.tokenHeaders });
  // An anonymous caller hears that it must authenticate before anything about its input.
  if (!prepared.isPublic && contextValue.auth.tokenKind === null) {
    return fail({ status: 401, detail: contextValue.auth.tokenProblem ?? "A valid bearer token is required" });
  }

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
  if (response.headers) reply.headers(response.headers);
  reply.code(response.status ?? 200);
  return response.body === undefined ? reply.send() : reply.send(caseKeys(response.body, route.casing));
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

import { typeFromAST, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { caseKey } from "../casing.js";
import { pageBounds } from "../../pagination.js";
import type { RatePolicy } from "../../rate-limit/rate-report.js";
import type { PreparedRoute } from "../register.js";
import { emptyBody, successBody, type JsonSchema, type RestRoute } from "../route.js";
import { caseSchema, inputSchema, int32, selectionSchema } from "./json-schema.js";

/** What the rule table says about a root field, for the documented statuses and headers. */
export interface FieldAccess {
  /** The quotas a call counts against; none for a field without a limit. */
  ratePolicies: (type: "Query" | "Mutation", field: string) => RatePolicy[];
}

export interface OpenApiInfo {
  title: string;
  version: string;
  serverUrl: string;
  /** package.json's: an SPDX identifier, or UNLICENSED for a package no one else may use. */
  license: string;
  contact: { name: string; email: string };
  /** CORS_ORIGINS: the only values Access-Control-Allow-Origin answers; none, and it is never sent. */
  corsOrigins: readonly string[];
}

type Operation = Record<string, unknown>;

const problemSchema: JsonSchema = {
  type: "object",
  properties: {
    type: {
      type: "string",
      format: "uri-reference",
      description: "The section of GET /problems on this server that explains the problem",
    },
    title: { type: "string" },
    status: { ...int32, minimum: 400, maximum: 599 },
    detail: { type: "string" },
    errors: { type: "object", additionalProperties: { type: "string" }, description: "Messages by field name" },
  },
  required: ["type", "title", "status", "detail"],
};

const envelopeSchema: JsonSchema = {
  type: "object",
  properties: {
    success: { const: false },
    message: { type: "string" },
    errors: { type: "object", additionalProperties: { type: "string" } },
  },
  required: ["success", "message"],
};

const statusText: Record<number, string> = {
  400: "The input is invalid; `errors` names each field in the route's casing",
  401: "No valid bearer token",
  403: "The token's permissions do not allow this",
  404: "Not found in the caller's organization",
  409: "The change conflicts with the current state (`detail` says why), or a request with this Idempotency-Key is still running (see Retry-After)",
  422: "This Idempotency-Key was used with a different request",
  429: "Too many calls: from this address, or failed sign-ins for this e-mail; see Retry-After",
  500: "An unexpected failure; the answer names no cause (X-Request-Id identifies it in the logs)",
};

/** Writes by an authenticated caller take a key under which their first answer is replayed. */
const idempotencyKeyParameter = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Retry safely: a retry with the same key and request gets the first answer again, with `Idempotent-Replayed: true`.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
};

/**
 * The OpenAPI 3.1 document of the REST routes, generated from the route table and the schema:
 * request parameters and bodies from each operation's variables, responses from its selection
 * set, statuses from the root field's rule. Nothing here is written by hand per route.
 */
export function buildOpenApiDocument(
  schema: GraphQLSchema,
  groups: readonly { name: string; description: string; routes: readonly PreparedRoute[] }[],
  access: FieldAccess,
  info: OpenApiInfo,
): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const group of groups) {
    for (const prepared of group.routes) {
      const path = prepared.route.path.replace(/:(\w+)/g, "{$1}");
      paths[path] ??= {};
      paths[path][prepared.route.method.toLowerCase()] = describeRoute(
        schema,
        prepared,
        group.name,
        access,
        corsHeaders(info.corsOrigins),
      );
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        "REST compatibility routes. Each runs a fixed GraphQL operation; request keys bind case-insensitively.",
      contact: info.contact,
      license:
        info.license === "UNLICENSED" ? { name: "Proprietary" } : { name: info.license, identifier: info.license },
    },
    // PUBLIC_URL: where this deployment is reached from outside, so not an internal server.
    servers: [{ url: info.serverUrl, "x-internal": false }],
    tags: groups.map(({ name, description }) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "An access or client token from POST /api/auth/access or POST /oauth/token: a JWS verified as RFC8725 asks, its algorithm pinned by its signing key (asymmetric only, never `none` or HMAC), its issuer, audience, expiry and lifetime checked.",
        },
        accessTokenHeader: { type: "apiKey", in: "header", name: "accessToken" },
      },
      schemas: { Problem: problemSchema, Envelope: envelopeSchema },
    },
  };
}

function describeRoute(
  schema: GraphQLSchema,
  prepared: PreparedRoute,
  tag: string,
  access: FieldAccess,
  cors: Record<string, Operation>,
): Operation {
  const { route, operation } = prepared;
  const rootType = operation.operation === "mutation" ? "Mutation" : "Query";
  const fieldName = rootFieldName(operation);
  const variables = (operation.variableDefinitions ?? []).map((definition) => ({
    name: definition.variable.name.value,
    type: typeFromAST(schema, definition.type) as GraphQLInputType,
    required: definition.type.kind === "NonNullType",
  }));
  const pathNames = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const inPath = variables.filter((variable) => pathNames.includes(variable.name));
  const rest = variables.filter((variable) => !pathNames.includes(variable.name));
  const inQuery = route.method === "GET" ? rest : [];
  const inBody = route.method === "GET" ? [] : rest;

  const parameters = [
    ...inPath.map((variable) => ({
      name: variable.name,
      in: "path",
      required: true,
      schema: inputSchema(variable.type, route.casing),
    })),
    ...inQuery.map((variable) => queryParameter(variable.name, variable.type, variable.required, route)),
    ...(takesIdempotencyKey(route, prepared.isPublic) ? [idempotencyKeyParameter] : []),
  ];

  const policies = access.ratePolicies(rootType, fieldName);
  const statuses = documentedStatuses(route, variables.length > 0, prepared.isPublic, policies.length > 0);
  const errorContent =
    route.errorFormat === "envelope"
      ? { "application/json": { schema: { $ref: "#/components/schemas/Envelope" } } }
      : { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };

  const tokenSchemes = route.tokenHeaders?.includes("accesstoken")
    ? [{ bearerAuth: [] }, { accessTokenHeader: [] }]
    : [{ bearerAuth: [] }];
  return {
    operationId: operation.name?.value ?? `${route.method} ${route.path}`,
    tags: [tag],
    summary: `${rootType}.${fieldName}`,
    description: `Runs the GraphQL operation:\n\n\`\`\`graphql\n${route.operation.replace(/\s+/g, " ").trim()}\n\`\`\``,
    security: prepared.isPublic ? [] : tokenSchemes,
    ...(parameters.length ? { parameters } : {}),
    ...requestBody(route, inBody),
    responses: {
      [String(route.successStatus ?? 200)]: withHeaders(successResponse(schema, route, operation, prepared.rootField), {
        ...rateHeaders(policies),
        ...cors,
      }),
      ...Object.fromEntries(
        [...statuses, 500].map((status) => [
          String(status),
          withHeaders(
            { description: statusText[status], content: errorContent },
            status === 429 ? { "Retry-After": retryAfterHeader, ...rateHeaders(policies), ...cors } : cors,
          ),
        ]),
      ),
    },
  };
}

const retryAfterHeader = {
  description: "Seconds until the refused call may be made again",
  schema: { ...int32, minimum: 1 },
};

/**
 * The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers) a limited call answers, from
 * this operation's quotas, each per client IP.
 */
function rateHeaders(policies: readonly RatePolicy[]): Record<string, Operation> {
  if (policies.length === 0) return {};
  const quoted = (policy: RatePolicy) => JSON.stringify(policy.name);
  const described = policies.map((policy) => `${quoted(policy)};q=${policy.quota};w=${policy.windowSeconds}`);
  // A quota counted later is not reached when an earlier one refuses: the field lists those counted.
  const counted = described.map((_, index) => described.slice(0, index + 1).join(", "));
  const widest = policies.map((policy) => `${quoted(policy)};r=${policy.quota};t=${policy.windowSeconds}`).join(", ");
  return {
    "RateLimit-Policy": {
      description: "Each quota the call counted against: its name, q calls per w seconds per client IP",
      schema: { type: "string", enum: counted },
    },
    RateLimit: {
      description: "What is left of each quota: r calls remain until its window ends in t seconds",
      schema: { type: "string", maxLength: widest.length },
      example: policies.map((policy) => `${quoted(policy)};r=${policy.quota - 1};t=${policy.windowSeconds}`).join(", "),
    },
  };
}

/** @fastify/cors answers the header to a browser whose Origin is one of CORS_ORIGINS, on every route. */
function corsHeaders(origins: readonly string[]): Record<string, Operation> {
  if (origins.length === 0) return {};
  return {
    "Access-Control-Allow-Origin": {
      description: "The request's Origin when it is one of CORS_ORIGINS; absent for any other",
      schema: { type: "string", enum: [...origins] },
    },
  };
}

function withHeaders(response: Operation, headers: Record<string, Operation>): Operation {
  if (Object.keys(headers).length === 0) return response;
  return { ...response, headers: { ...(response.headers as Record<string, Operation> | undefined), ...headers } };
}

function rootFieldName(operation: OperationDefinitionNode): string {
  const first = operation.selectionSet.selections[0];
  return first?.kind === "Field" ? first.name.value : "";
}

function queryParameter(name: string, type: GraphQLInputType, required: boolean, route: RestRoute): Operation {
  // The paging variables of src/rest/list-arguments.ts, bounded as resolvePage checks them.
  const paging = name === "pageNumber" || name === "pageSize" ? pageBounds[name] : {};
  const schema: JsonSchema = { ...inputSchema(type, route.casing), ...paging };
  const kinds = [schema.type].flat();
  const structured = kinds.includes("object") || kinds.includes("array");
  return {
    name: caseKey(name, route.casing),
    in: "query",
    required,
    // Lists of objects (filters) travel as one JSON-encoded parameter, or flat as `Filters[0].Field=`.
    ...(structured ? { content: { "application/json": { schema } } } : { schema }),
  };
}

function requestBody(
  route: RestRoute,
  variables: readonly { name: string; type: GraphQLInputType; required: boolean }[],
): Operation {
  if (variables.length === 0) return {};
  const whole = variables.find((variable) => variable.name === route.bodyAs);
  const schema: JsonSchema = whole
    ? inputSchema(whole.type, route.casing)
    : {
        type: "object",
        properties: Object.fromEntries(
          variables.map((variable) => [caseKey(variable.name, route.casing), inputSchema(variable.type, route.casing)]),
        ),
        required: variables
          .filter((variable) => variable.required)
          .map((variable) => caseKey(variable.name, route.casing)),
      };
  const required = whole ? whole.required : variables.some((variable) => variable.required);
  return { requestBody: { required, content: { "application/json": { schema } } } };
}

function successResponse(
  schema: GraphQLSchema,
  route: RestRoute,
  operation: OperationDefinitionNode,
  rootField: string,
): Operation {
  const rootType = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const data: Record<string, JsonSchema> = {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== "Field") continue;
    const field = rootType.getFields()[selection.name.value]!;
    data[(selection.alias ?? selection.name).value] = selectionSchema(schema, field.type, selection.selectionSet);
  }
  const body = responseBody(route, data, rootField);
  const ok = route.successStatus === 202 ? "Accepted" : route.successStatus === 201 ? "Created" : "OK";
  if (body === null) return { description: `${ok}, with an empty body` };
  const isList = [body.type].flat().includes("array");
  return {
    description: ok,
    ...(isList
      ? { headers: { "X-Total-Count": { description: "Items in the whole list", schema: { ...int32, minimum: 0 } } } }
      : {}),
    content: { "application/json": { schema: caseSchema(body, route.casing) } },
  };
}

function responseBody(route: RestRoute, data: Record<string, JsonSchema>, rootField: string): JsonSchema | null {
  if (route.respond === emptyBody) return null;
  if (route.respond === successBody) {
    return { type: "object", properties: { success: { type: "boolean" } }, required: ["success"] };
  }
  if (route.respond) {
    if (!route.responseSchema) {
      throw new Error(`${route.method} ${route.path} reshapes its answer: give it a responseSchema for the API docs`);
    }
    return route.responseSchema(data);
  }
  return data[rootField]!;
}

/** Keys are kept per caller, so a public route (no caller) ignores them. */
function takesIdempotencyKey(route: RestRoute, isPublic: boolean): boolean {
  return route.method !== "GET" && !isPublic;
}

/** 400 for input, 401/403 unless public, 404 for lookups by input, 429 when the rule limits the rate. */
function documentedStatuses(route: RestRoute, takesInput: boolean, isPublic: boolean, limitsRate: boolean): number[] {
  const statuses = new Set<number>();
  if (takesInput || route.method !== "GET") statuses.add(400);
  if (!isPublic) {
    statuses.add(401);
    statuses.add(403);
    if (takesInput) statuses.add(404);
  }
  if (limitsRate) statuses.add(429);
  if (takesIdempotencyKey(route, isPublic)) {
    statuses.add(409);
    statuses.add(422);
  }
  for (const status of Object.values(route.statusFor ?? {})) statuses.add(status);
  return [...statuses].sort();
}

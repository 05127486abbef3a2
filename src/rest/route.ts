import type { ErrorCode } from "../errors.js";

export type Casing = "pascal" | "camel";

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses) of a request or response body. */
export type JsonSchema = Record<string, unknown>;

export interface RestResponse {
  status?: number;
  /** Undefined sends an empty body, as the documents' "200 OK with an empty body". */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One documented REST route: the GraphQL operation it runs against the shielded schema, how the
 * request binds to the operation's variables, and how the result maps to the documented answer.
 */
export interface RestRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** A GraphQL document with one operation; parsed and validated once at start-up. */
  operation: string;
  /**
   * Each variable binds from the request field of the same name (any case): query parameters,
   * path parameters and JSON body keys. `bodyAs` names a variable that takes the whole body.
   */
  bodyAs?: string;
  /** The casing of the document's JSON; response keys and error field names follow it. */
  casing: Casing;
  /** Maps the operation's data to the documented body; default: the first root field's value. */
  respond?: (data: Record<string, unknown>) => RestResponse;
  /**
   * For the OpenAPI document, when `respond` reshapes: the documented body's schema from the
   * schemas of the operation's root fields (GraphQL names; the route's casing applies after).
   * `null`: an empty body. `emptyBody` and `successBody` need none.
   */
  responseSchema?: (data: Record<string, JsonSchema>) => JsonSchema | null;
  /** The status of a success when it is not 200 (the OpenAPI document lists it instead). */
  successStatus?: 201 | 202;
  /** Status for an error code where the document differs from the default table. */
  statusFor?: Partial<Record<ErrorCode, number>>;
  /** `envelope`: `{ success: false, message }` as the create-sales-rep document answers. */
  errorFormat?: "problem" | "envelope";
  /** Headers that may carry the bearer token, in order of preference. */
  tokenHeaders?: readonly string[];
  /** Bytes the body may have, for a bulk route that needs more than the server-wide limit. */
  bodyLimit?: number;
}

export const defineRoute = (route: RestRoute): RestRoute => route;

/** The documents' "200 OK with an empty body". */
export const emptyBody = (): RestResponse => ({});

/** `{ success }`: whether the mutation answered a non-null value; the route's casing spells the key. */
export const successBody = (data: Record<string, unknown>): RestResponse => ({
  body: { success: Object.values(data)[0] != null },
});

/** The organization documents spell roles in lower case (`admin`), tokens and GraphQL as `Admin`. */
export function withLowerCaseRoles(members: unknown): unknown[] {
  return (members as { roles: string[] }[]).map((member) => ({
    ...member,
    roles: member.roles.map((role) => role.toLowerCase()),
  }));
}

/**
 * For `responseSchema`: the schema of a list `withLowerCaseRoles` answers, the roles' enum lowered
 * the same way, so the document names the words the route sends.
 */
export function withLowerCaseRolesSchema(list: JsonSchema): JsonSchema {
  const member = list.items as JsonSchema;
  const { roles, ...others } = propertiesOf(member);
  const role = roles?.items as JsonSchema | undefined;
  const values = role?.enum as string[] | undefined;
  if (!roles || !role || !values) return list;
  const lowered = { ...role, enum: values.map((value) => value.toLowerCase()) };
  return { ...list, items: { ...member, properties: { ...others, roles: { ...roles, items: lowered } } } };
}

/** A bare JSON array, as the documents show lists, with the total in X-Total-Count. */
export function bareList(items: unknown, totalCount?: number): RestResponse {
  const list = items as unknown[];
  return { body: list, headers: { "x-total-count": String(totalCount ?? list.length) } };
}

/** For `responseSchema`: an object with these properties, all present. */
export const objectSchema = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: "object",
  properties,
  required: Object.keys(properties),
});

/** For `responseSchema`: the properties of an object schema, to regroup them. */
export const propertiesOf = (schema: JsonSchema | undefined): Record<string, JsonSchema> =>
  (schema?.properties ?? {}) as Record<string, JsonSchema>;

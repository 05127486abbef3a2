import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLEnumType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { FieldErrors } from "../errors.js";
import { JsonValueError } from "../graphql/json-scalars.js";
import { findUnstorableText, listProblem, maxListLength } from "../storable-text.js";
import { enumRefusal } from "../graphql/enums.js";

type Plain = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keys that would reach `Object.prototype` (or a constructor) if ever used to index an object. */
const reservedKeys = new Set(["__proto__", "constructor", "prototype"]);
export const reservedKeyProblem = "is not an accepted name (__proto__, constructor and prototype are reserved)";

export interface ExpandedQuery {
  query: Plain;
  /** Parameter names refused because a part of them is reserved. */
  reserved: string[];
}

/**
 * Query strings arrive flat: `Filters[0].Field=x` becomes `{ Filters: { 0: { Field: "x" } } }`,
 * which binding then reads as a list. The result is built of null-prototype objects, and a name
 * with a reserved part (`__proto__.pageSize`) is skipped and reported: assigning through it would
 * change `Object.prototype` for every later request of every tenant.
 */
export function expandQuery(flat: Plain): ExpandedQuery {
  const query: Plain = Object.create(null);
  const reserved: string[] = [];
  for (const [rawKey, value] of Object.entries(flat)) {
    const parts = rawKey.split(/\.|\[|\]\.?/).filter(Boolean);
    if (parts.some((part) => reservedKeys.has(part))) {
      reserved.push(rawKey);
      continue;
    }
    let node = query;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        node[part] = value;
        return;
      }
      if (!isPlainObject(node[part])) node[part] = Object.create(null);
      node = node[part] as Plain;
    });
  }
  return { query, reserved };
}

/** The first reserved key anywhere in a parsed value, with its path, to refuse it by name. */
export function findReservedKey(value: unknown, path = ""): string | undefined {
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [node, at] = pending.pop()!;
    if (typeof node !== "object" || node === null) continue;
    for (const key of Object.keys(node)) {
      const child = Array.isArray(node) ? `${at}[${key}]` : at ? `${at}.${key}` : key;
      if (!Array.isArray(node) && reservedKeys.has(key)) return child;
      pending.push([(node as Plain)[key], child]);
    }
  }
  return undefined;
}

function findKey(source: Plain, name: string): string | undefined {
  if (Object.hasOwn(source, name)) return name;
  const wanted = name.toLowerCase();
  return Object.keys(source).find((key) => key.toLowerCase() === wanted);
}

export interface Binding {
  variables: Plain;
  errors: FieldErrors;
}

/**
 * Binds request fields to an operation's variables case-insensitively and checks them against the
 * variable types, so a REST client hears which of its own field names is missing or mistyped.
 * `path` names in `errors` use the variable and input field names; the caller applies casing.
 */
export function bindVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  source: Plain,
  bodyAs: string | undefined,
  fromQueryString: boolean,
): Binding {
  // Null prototype: a field path may itself be `__proto__`.
  const errors: FieldErrors = Object.create(null);
  const variables: Plain = Object.create(null);
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType;
    const key = name === bodyAs ? undefined : findKey(source, name);
    const raw = name === bodyAs ? source : key === undefined ? undefined : source[key];
    const value = shape(raw, type, name === bodyAs ? "" : name, errors, fromQueryString);
    if (value !== undefined) variables[name] = value;
  }
  return { variables, errors };
}

function join(path: string, part: string): string {
  return path ? `${path}.${part}` : part;
}

function shape(value: unknown, type: GraphQLInputType, path: string, errors: FieldErrors, fromQuery: boolean): unknown {
  if (isNonNullType(type)) {
    if (value === undefined || value === null || (fromQuery && value === "")) {
      errors[path] = "is required";
      return undefined;
    }
    return shape(value, type.ofType, path, errors, fromQuery);
  }
  if (value === undefined || value === null) return value;

  if (isListType(type)) {
    const list = asList(value);
    if (!list) {
      errors[path] = "must be a list";
      return undefined;
    }
    if (list.length > maxListLength) {
      errors[path] = listProblem;
      return undefined;
    }
    return list.map((item, index) => shape(item, type.ofType, `${path}[${index}]`, errors, fromQuery));
  }

  if (isInputObjectType(type)) {
    const object = typeof value === "string" ? parseJson(value) : value;
    if (!isPlainObject(object)) {
      errors[path] = "must be an object";
      return undefined;
    }
    const reserved = Object.keys(object).find((key) => reservedKeys.has(key));
    if (reserved !== undefined) {
      errors[join(path, reserved)] = reservedKeyProblem;
      return undefined;
    }
    const out: Plain = Object.create(null);
    for (const field of Object.values(type.getFields())) {
      const key = findKey(object, field.name);
      const shaped = shape(
        key === undefined ? undefined : object[key],
        field.type,
        join(path, field.name),
        errors,
        fromQuery,
      );
      if (shaped !== undefined) out[field.name] = shaped;
    }
    return out;
  }

  if (isEnumType(type)) return bindEnum(value, type, path, errors);
  const scalar = fromQuery && typeof value === "string" ? fromQueryText(value, type) : value;
  const unstorable = findUnstorableText(scalar, path);
  const reserved = findReservedKey(scalar, path);
  if (unstorable || reserved) {
    if (unstorable) errors[unstorable.path] = unstorable.problem;
    else errors[reserved!] = reservedKeyProblem;
    return undefined;
  }
  try {
    if (isScalarType(type)) type.parseValue(scalar);
    return scalar;
  } catch (error) {
    errors[path] = error instanceof JsonValueError ? error.message : describe(type);
    return undefined;
  }
}

/**
 * REST clients send an enum's documented strings (`asc`, `CustomerNumber`, `startswith`) in any
 * case; they match a value's internal string or its name, ignoring case and underscores, and bind
 * as the value's name, which is what GraphQL execution takes.
 */
function bindEnum(value: unknown, type: GraphQLEnumType, path: string, errors: FieldErrors): string | undefined {
  const loose = (text: string) => text.replace(/_/g, "").toLowerCase();
  const values = type.getValues();
  const wanted = typeof value === "string" ? loose(value) : undefined;
  const match = values.find(
    (v) => wanted !== undefined && (loose(v.name) === wanted || loose(String(v.value)) === wanted),
  );
  if (match) return match.name;
  errors[path] = enumRefusal(
    type.name,
    values.map((v) => String(v.value)),
  );
  return undefined;
}

function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === "string" && value.trimStart().startsWith("[")) {
    const parsed = parseJson(value);
    return Array.isArray(parsed) ? parsed : undefined;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.every((key) => /^\d+$/.test(key))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key]);
    }
    return [value];
  }
  return [value];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function fromQueryText(value: string, type: GraphQLInputType): unknown {
  if (type === GraphQLInt || type === GraphQLFloat) {
    const number = Number(value);
    return value.trim() !== "" && Number.isFinite(number) ? number : value;
  }
  if (type === GraphQLBoolean) {
    if (/^true$/i.test(value)) return true;
    if (/^false$/i.test(value)) return false;
  }
  return value;
}

function describe(type: GraphQLInputType): string {
  if (type === GraphQLInt) return "must be an integer";
  if (type === GraphQLFloat) return "must be a number";
  if (type === GraphQLBoolean) return "must be true or false";
  if (type === GraphQLID) return "must be a string";
  if (isScalarType(type) && type.name === "String") return "must be a string";
  return `must be a valid ${"name" in type ? type.name : "value"}`;
}

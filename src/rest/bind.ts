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
import { enumRefusal } from "../graphql/enums.js";

type Plain = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Query strings arrive flat: `Filters[0].Field=x` becomes `{ Filters: { 0: { Field: "x" } } }`,
 * which binding then reads as a list.
 */
export function expandQuery(query: Plain): Plain {
  const out: Plain = {};
  for (const [rawKey, value] of Object.entries(query)) {
    const parts = rawKey.split(/\.|\[|\]\.?/).filter(Boolean);
    let node = out;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        node[part] = value;
        return;
      }
      if (!isPlainObject(node[part])) node[part] = {};
      node = node[part] as Plain;
    });
  }
  return out;
}

function findKey(source: Plain, name: string): string | undefined {
  if (name in source) return name;
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
  const errors: FieldErrors = {};
  const variables: Plain = {};
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
    return list.map((item, index) => shape(item, type.ofType, `${path}[${index}]`, errors, fromQuery));
  }

  if (isInputObjectType(type)) {
    const object = typeof value === "string" ? parseJson(value) : value;
    if (!isPlainObject(object)) {
      errors[path] = "must be an object";
      return undefined;
    }
    const out: Plain = {};
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
  try {
    if (isScalarType(type)) type.parseValue(scalar);
    return scalar;
  } catch {
    errors[path] = describe(type);
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

import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  Kind,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { maxListLength, maxTextLength } from "../../storable-text.js";
import { caseKey } from "../casing.js";
import type { Casing, JsonSchema } from "../route.js";

/** GraphQL's Int is 32-bit: the schema refuses, and never answers, anything outside it. */
export const int32: JsonSchema = { type: "integer", format: "int32", minimum: -(2 ** 31), maximum: 2 ** 31 - 1 };

const scalarSchemas: Record<string, JsonSchema> = {
  String: { type: "string" },
  ID: { type: "string" },
  Int: int32,
  Float: { type: "number" },
  Boolean: { type: "boolean" },
  DateTimeISO: { type: "string", format: "date-time" },
  JSON: {},
  // Free-form: any keys, as docs/rest.md's examples send (a generated client would otherwise allow none).
  JSONObject: { type: "object", additionalProperties: true },
};

function scalarSchema(name: string): JsonSchema {
  return scalarSchemas[name] ?? { type: "string" };
}

/** JSON Schema 2020-12 (OpenAPI 3.1) of a GraphQL input type, keys in the route's casing. */
export function inputSchema(type: GraphQLInputType, casing: Casing): JsonSchema {
  if (isNonNullType(type)) return nonNullInputSchema(type.ofType, casing);
  return nullable(nonNullInputSchema(type, casing));
}

function nonNullInputSchema(type: GraphQLInputType, casing: Casing): JsonSchema {
  if (isNonNullType(type)) return nonNullInputSchema(type.ofType, casing);
  if (isListType(type)) return { type: "array", maxItems: maxListLength, items: inputSchema(type.ofType, casing) };
  if (isEnumType(type)) return { type: "string", enum: type.getValues().map((value) => value.value) };
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const required = fields.filter((field) => isNonNullType(field.type)).map((field) => caseKey(field.name, casing));
    return {
      type: "object",
      properties: Object.fromEntries(
        fields.map((field) => [
          caseKey(field.name, casing),
          { ...inputSchema(field.type, casing), ...(field.description ? { description: field.description } : {}) },
        ]),
      ),
      ...(required.length ? { required } : {}),
    };
  }
  const scalar = scalarSchema(type.name);
  return scalar.type === "string" ? { ...scalar, maxLength: maxTextLength } : scalar;
}

/**
 * JSON Schema of what a selection set returns from an output type, in GraphQL names (aliases
 * included); the route's casing applies afterwards, as it does to the response itself.
 */
export function selectionSchema(
  schema: GraphQLSchema,
  type: GraphQLOutputType,
  selectionSet: SelectionSetNode | undefined,
): JsonSchema {
  if (isNonNullType(type)) return nonNullSelectionSchema(schema, type.ofType, selectionSet);
  return nullable(nonNullSelectionSchema(schema, type, selectionSet));
}

function nonNullSelectionSchema(
  schema: GraphQLSchema,
  type: GraphQLOutputType,
  selectionSet: SelectionSetNode | undefined,
): JsonSchema {
  if (isNonNullType(type)) return nonNullSelectionSchema(schema, type.ofType, selectionSet);
  if (isListType(type)) return { type: "array", items: selectionSchema(schema, type.ofType, selectionSet) };
  if (isEnumType(type)) return { type: "string", enum: type.getValues().map((value) => value.value) };
  const named = getNamedType(type);
  if (!isObjectType(named) && !isAbstractType(named)) return scalarSchema(named.name);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    // The route documents select plain fields; fragments would need the concrete type.
    if (selection.kind !== Kind.FIELD || !isObjectType(named)) continue;
    const field = named.getFields()[selection.name.value];
    if (!field) continue;
    const key = (selection.alias ?? selection.name).value;
    properties[key] = selectionSchema(schema, field.type, selection.selectionSet);
    // A GraphQL answer carries every selected field, null where the field is nullable, and the
    // routes pass them on: present always, so required, with `null` in the type where it may be.
    required.push(key);
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type !== "string") return schema;
  const withNull = { ...schema, type: [schema.type, "null"] };
  return Array.isArray(schema.enum) ? { ...withNull, enum: [...(schema.enum as unknown[]), null] } : withNull;
}

/** Renames object keys of a schema (properties and required) to the route's casing, deeply. */
export function caseSchema(schema: JsonSchema, casing: Casing): JsonSchema {
  if (casing === "camel") return schema;
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, JsonSchema>).map(([key, value]) => [
        caseKey(key, casing),
        caseSchema(value, casing),
      ]),
    );
  }
  if (Array.isArray(schema.required)) out.required = (schema.required as string[]).map((key) => caseKey(key, casing));
  if (schema.items) out.items = caseSchema(schema.items as JsonSchema, casing);
  return out;
}

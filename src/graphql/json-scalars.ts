import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { GraphQLJSON, GraphQLJSONObject } from "graphql-scalars";

/** Free-form JSON is stored as jsonb and echoed back; bounded so no value is a bomb. */
export const jsonValueLimits = { maxDepth: 32, maxLength: 16 * 1024 };

/** A JSON value past the limits: a client error whose message says which limit. */
export class JsonValueError extends GraphQLError {}

function nodeDepth(root: ValueNode): number {
  let deepest = 0;
  const pending: [ValueNode, number][] = [[root, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node.kind === Kind.OBJECT) {
      deepest = Math.max(deepest, depth);
      for (const field of node.fields) pending.push([field.value, depth + 1]);
    } else if (node.kind === Kind.LIST) {
      deepest = Math.max(deepest, depth);
      for (const value of node.values) pending.push([value, depth + 1]);
    }
  }
  return deepest;
}

function valueDepth(root: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== "object" || value === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function checkDepth(depth: number): void {
  if (depth > jsonValueLimits.maxDepth) {
    throw new JsonValueError(`JSON value nests ${depth} levels deep; at most ${jsonValueLimits.maxDepth} are allowed`);
  }
}

function checkLength<T>(value: T): T {
  const length = JSON.stringify(value)?.length ?? 0;
  if (length > jsonValueLimits.maxLength) {
    throw new JsonValueError(
      `JSON value is ${length} characters long as JSON; at most ${jsonValueLimits.maxLength} are allowed`,
    );
  }
  return value;
}

/** The same scalar (name, serialization, parsing) with the depth checked before parsing and the size after. */
function bounded(scalar: GraphQLScalarType): GraphQLScalarType {
  const config = scalar.toConfig();
  return new GraphQLScalarType({
    ...config,
    description: `${config.description ?? ""} At most ${jsonValueLimits.maxDepth} levels deep and ${jsonValueLimits.maxLength} characters as JSON.`,
    parseValue(value) {
      checkDepth(valueDepth(value));
      return checkLength(config.parseValue!(value));
    },
    parseLiteral(node, variables) {
      checkDepth(nodeDepth(node));
      return checkLength(config.parseLiteral!(node, variables));
    },
  });
}

export const JsonScalar = bounded(GraphQLJSON);
export const JsonObjectScalar = bounded(GraphQLJSONObject);

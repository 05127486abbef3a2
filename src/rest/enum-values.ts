import {
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  Kind,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

type Plain = Record<string, unknown>;

/**
 * GraphQL answers enum values by name (`ACTIVE`, `CUSTOMER`); the REST documents show the
 * internal strings (`active`, `customer`). Walks a route operation's selection set against the
 * schema and maps every enum-typed leaf, lists included, back to its internal value.
 */
export function enumValuesToInternal(schema: GraphQLSchema, operation: OperationDefinitionNode, data: Plain): Plain {
  const root = schema.getRootType(operation.operation);
  if (!root) return data;
  return mapSelection(data, root, operation.selectionSet) as Plain;
}

function mapSelection(value: unknown, type: GraphQLOutputType, selectionSet: SelectionSetNode): unknown {
  if (value === null || value === undefined) return value;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return (value as unknown[]).map((item) => mapSelection(item, nullable.ofType, selectionSet));
  }
  if (!isObjectType(nullable)) return value;
  const out: Plain = { ...(value as Plain) };
  const fields = nullable.getFields();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      Object.assign(out, mapSelection(out, nullable, selection.selectionSet));
      continue;
    }
    if (selection.kind !== Kind.FIELD) continue;
    const field = fields[selection.name.value];
    const key = (selection.alias ?? selection.name).value;
    if (!field || !(key in out)) continue;
    out[key] = selection.selectionSet
      ? mapSelection(out[key], field.type, selection.selectionSet)
      : mapLeaf(out[key], field.type);
  }
  return out;
}

function mapLeaf(value: unknown, type: GraphQLOutputType): unknown {
  const named = getNamedType(type);
  if (!isEnumType(named)) return value;
  const toInternal = (name: unknown) => (typeof name === "string" ? (named.getValue(name)?.value ?? name) : name);
  return Array.isArray(value) ? value.map(toInternal) : toInternal(value);
}

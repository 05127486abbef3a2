import {
  getNamedType,
  getNullableType,
  isEnumType,
  isObjectType,
  Kind,
  type GraphQLEnumType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

type Plain = Record<string, unknown>;

/** Where an answer holds enum values: an enum leaf, or an object (or list of them) that holds some. */
type Step = { key: string; enum: GraphQLEnumType } | { key: string; steps: Step[] };

const plans = new WeakMap<OperationDefinitionNode, Step[]>();

/**
 * GraphQL answers enum values by name (`ACTIVE`, `CUSTOMER`); the REST documents show the
 * internal strings (`active`, `customer`). Maps every enum-typed leaf of a route operation's answer,
 * lists included, back to its internal value, in place: the answer is the request's own, fresh
 * from execution. Where the leaves are is worked out once per operation, from its selection set and
 * the schema, so an answer is visited only along the paths that lead to an enum.
 */
export function enumValuesToInternal(schema: GraphQLSchema, operation: OperationDefinitionNode, data: Plain): Plain {
  let steps = plans.get(operation);
  if (!steps) {
    const root = schema.getRootType(operation.operation);
    steps = root ? plan(root, operation.selectionSet) : [];
    plans.set(operation, steps);
  }
  if (steps.length > 0) apply(data, steps);
  return data;
}

function plan(type: GraphQLOutputType, selectionSet: SelectionSetNode): Step[] {
  const nullable = getNamedType(getNullableType(type));
  if (!isObjectType(nullable)) return [];
  const fields = nullable.getFields();
  const steps: Step[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      steps.push(...plan(nullable, selection.selectionSet));
      continue;
    }
    if (selection.kind !== Kind.FIELD) continue;
    const field = fields[selection.name.value];
    if (!field) continue;
    const key = (selection.alias ?? selection.name).value;
    const named = getNamedType(field.type);
    if (selection.selectionSet) {
      const nested = plan(field.type, selection.selectionSet);
      if (nested.length > 0) steps.push({ key, steps: nested });
    } else if (isEnumType(named)) steps.push({ key, enum: named });
  }
  return steps;
}

function apply(value: unknown, steps: Step[]): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) apply(item, steps);
    return;
  }
  const object = value as Plain;
  for (const step of steps) {
    if (!(step.key in object)) continue;
    if ("steps" in step) apply(object[step.key], step.steps);
    else object[step.key] = toInternal(object[step.key], step.enum);
  }
}

function toInternal(value: unknown, type: GraphQLEnumType): unknown {
  const one = (name: unknown) => (typeof name === "string" ? (type.getValue(name)?.value ?? name) : name);
  return Array.isArray(value) ? value.map(one) : one(value);
}

import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";
import { defaultPageSize, maxPageSize } from "../pagination.js";

export interface OperationLimits {
  /** Lexical tokens per document (the parser's `maxTokens`): bounds every later pass. */
  maxTokens: number;
  /** Deepest field nesting outside introspection; the schema has cycles (rep → assignments → rep …). */
  maxDepth: number;
  /** Root fields per operation, aliases included: each can be a whole list query. */
  maxRootFields: number;
  /** Fields per operation with every fragment spread expanded and every alias counted. */
  maxFields: number;
  /** Estimated items resolved: each field 1, times the page size for pages and `listSize` for other lists. */
  maxCost: number;
  /** Items a list without a `pageSize` argument is assumed to hold. */
  listSize: number;
  /** `__schema` and `__type` fields per operation. */
  maxIntrospectionFields: number;
  /** Nesting inside `__schema` / `__type`; graphql-js already refuses type → fields → type loops. */
  maxIntrospectionDepth: number;
}

/**
 * The standard introspection query of graphql-js with every option (what GraphiQL, Apollo Sandbox
 * and codegen send) nests 15 levels inside `__schema`, selects 229 fields in about 200 tokens.
 * 2,000 tokens also keep nesting under ~700 levels, well inside the parser's recursion. A page of
 * 100 sales reps with every nested relation costs about 20,000; two list levels under it, 60,000+.
 */
export const defaultOperationLimits: OperationLimits = {
  maxTokens: 2000,
  maxDepth: 12,
  maxRootFields: 25,
  maxFields: 1000,
  maxCost: 50_000,
  listSize: 25,
  maxIntrospectionFields: 2,
  maxIntrospectionDepth: 16,
};

const introspectionRoots = new Set(["__schema", "__type"]);

/** What one selection set asks for, fragments expanded. */
export interface SelectionSummary {
  depth: number;
  introspectionDepth: number;
  /** Fields at this level (not `__typename`), through fragments too: the root-field count. */
  width: number;
  fields: number;
  cost: number;
  introspectionFields: number;
}

const empty: SelectionSummary = {
  depth: 0,
  introspectionDepth: 0,
  width: 0,
  fields: 0,
  cost: 0,
  introspectionFields: 0,
};

// Counts can overflow with nested lists; past this every limit is exceeded anyway.
const ceiling = Number.MAX_SAFE_INTEGER;
const add = (a: number, b: number) => Math.min(a + b, ceiling);

/** A selection set to summarise, with the type its fields belong to. */
interface Level {
  selectionSet: SelectionSetNode;
  type: GraphQLNamedType | undefined;
  /** Filled on the way down: what each selection contributes. */
  parts?: Part[];
}

type Part =
  | { kind: "field"; node: FieldNode; definition: GraphQLField<unknown, unknown> | undefined; child?: Level }
  | { kind: "inline"; child: Level }
  | { kind: "fragment"; name: string };

/**
 * Summarises selection sets without recursion (a 2,000-level document is as safe as a flat one),
 * reading each fragment's summary from `fragments`, so a spread costs the same however often the
 * fragment is spread: fragment bombs are counted in linear time.
 */
export class SelectionSummarizer {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: OperationLimits,
    private readonly fragments: Map<string, SelectionSummary> = new Map(),
  ) {}

  /** Summarises every fragment once, dependencies first; a fragment in a cycle counts its cyclic spreads as empty. */
  summarizeFragments(definitions: readonly FragmentDefinitionNode[]): Map<string, SelectionSummary> {
    const byName = new Map(definitions.map((definition) => [definition.name.value, definition]));
    const dependencies = new Map(
      definitions.map((definition) => [
        definition.name.value,
        new Set([...spreadNames(definition.selectionSet)].filter((name) => byName.has(name))),
      ]),
    );
    const dependents = new Map<string, string[]>();
    for (const [name, needs] of dependencies) {
      for (const need of needs) dependents.set(need, [...(dependents.get(need) ?? []), name]);
    }
    const ready = [...dependencies].filter(([, needs]) => needs.size === 0).map(([name]) => name);
    const summarize = (name: string) => {
      const definition = byName.get(name)!;
      this.fragments.set(
        name,
        this.summarize(definition.selectionSet, this.typeNamed(definition.typeCondition.name.value)),
      );
    };
    while (ready.length > 0) {
      const name = ready.pop()!;
      summarize(name);
      for (const dependent of dependents.get(name) ?? []) {
        const needs = dependencies.get(dependent)!;
        needs.delete(name);
        if (needs.size === 0) ready.push(dependent);
      }
    }
    for (const name of byName.keys()) if (!this.fragments.has(name)) summarize(name);
    return this.fragments;
  }

  summarize(selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined): SelectionSummary {
    const root: Level = { selectionSet, type };
    const results = new Map<Level, SelectionSummary>();
    const pending: [Level, boolean][] = [[root, false]];
    while (pending.length > 0) {
      const [level, childrenDone] = pending.pop()!;
      if (childrenDone) {
        results.set(level, this.combine(level, results));
        continue;
      }
      level.parts = this.partsOf(level);
      pending.push([level, true]);
      for (const part of level.parts) {
        if (part.kind !== "fragment" && part.child) pending.push([part.child, false]);
      }
    }
    return results.get(root)!;
  }

  private partsOf(level: Level): Part[] {
    return level.selectionSet.selections.map((selection): Part => {
      if (selection.kind === Kind.FRAGMENT_SPREAD) return { kind: "fragment", name: selection.name.value };
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.typeNamed(selection.typeCondition.name.value) : level.type;
        return { kind: "inline", child: { selectionSet: selection.selectionSet, type } };
      }
      const definition = this.fieldOf(level.type, selection.name.value);
      const child = selection.selectionSet
        ? { selectionSet: selection.selectionSet, type: definition && getNamedType(definition.type) }
        : undefined;
      return { kind: "field", node: selection, definition, child };
    });
  }

  private combine(level: Level, results: Map<Level, SelectionSummary>): SelectionSummary {
    const total = { ...empty };
    const merge = (part: SelectionSummary) => {
      total.depth = Math.max(total.depth, part.depth);
      total.introspectionDepth = Math.max(total.introspectionDepth, part.introspectionDepth);
      total.width = add(total.width, part.width);
      total.fields = add(total.fields, part.fields);
      total.cost = add(total.cost, part.cost);
      total.introspectionFields = add(total.introspectionFields, part.introspectionFields);
    };
    const inIntrospection = level.type?.name.startsWith("__") ?? false;
    for (const part of level.parts!) {
      if (part.kind === "fragment") {
        merge(this.fragments.get(part.name) ?? empty);
        continue;
      }
      const child = part.child ? results.get(part.child)! : empty;
      if (part.kind === "inline") {
        merge(child);
        continue;
      }
      const name = part.node.name.value;
      if (name === "__typename") {
        merge({ ...empty, fields: 1 });
        continue;
      }
      const isIntrospection = inIntrospection || introspectionRoots.has(name);
      merge({
        depth: isIntrospection ? 0 : 1 + child.depth,
        introspectionDepth: isIntrospection ? 1 + child.introspectionDepth : child.introspectionDepth,
        width: 1,
        fields: add(1, child.fields),
        // Introspection reads the schema in memory; its own limits bound it.
        cost: isIntrospection ? 0 : add(1, Math.min(this.multiplier(level.type, part) * child.cost, ceiling)),
        introspectionFields: add(introspectionRoots.has(name) ? 1 : 0, child.introspectionFields),
      });
    }
    return total;
  }

  /**
   * How many times a field's selections run: a field with a `pageSize` argument returns a page of
   * that many items (100 when it comes from a variable, its default when absent), so the page's own
   * item list is not counted again; any other list holds `listSize` items.
   */
  private multiplier(parent: GraphQLNamedType | undefined, part: Extract<Part, { kind: "field" }>): number {
    const { definition, node } = part;
    if (!definition) return 1;
    if (definition.args.some((arg) => arg.name === "pageSize")) {
      const argument = node.arguments?.find((arg) => arg.name.value === "pageSize")?.value;
      if (!argument) return defaultPageSize;
      if (argument.kind === Kind.INT) return Math.min(Math.max(Number(argument.value), 1), maxPageSize);
      return maxPageSize;
    }
    if (!isListType(getNullableType(definition.type))) return 1;
    return parent && this.isPage(parent) ? 1 : this.limits.listSize;
  }

  /** Types returned by fields with a `pageSize` argument: their list is the page. */
  private isPage(type: GraphQLNamedType): boolean {
    return pageTypesOf(this.schema).has(type.name);
  }

  private typeNamed(name: string): GraphQLNamedType | undefined {
    return this.schema.getType(name) ?? undefined;
  }

  private fieldOf(type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
    // graphql-js keeps the meta fields out of getFields().
    if (name === "__schema") return SchemaMetaFieldDef;
    if (name === "__type") return TypeMetaFieldDef;
    return type && isCompositeType(type) && "getFields" in type ? type.getFields()[name] : undefined;
  }
}

const pageTypes = new WeakMap<GraphQLSchema, Set<string>>();

function pageTypesOf(schema: GraphQLSchema): Set<string> {
  let names = pageTypes.get(schema);
  if (!names) {
    names = new Set();
    for (const candidate of Object.values(schema.getTypeMap())) {
      if (!isObjectType(candidate)) continue;
      for (const field of Object.values(candidate.getFields())) {
        if (field.args.some((arg) => arg.name === "pageSize")) names.add(getNamedType(field.type).name);
      }
    }
    pageTypes.set(schema, names);
  }
  return names;
}

/** Every fragment name spread anywhere inside a selection set, without recursion. */
function spreadNames(selectionSet: SelectionSetNode): Set<string> {
  const names = new Set<string>();
  const pending = [selectionSet];
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) names.add(selection.name.value);
      else if (selection.selectionSet) pending.push(selection.selectionSet);
    }
  }
  return names;
}

/** Each limit an operation's summary exceeds, as the message a client reads. */
export function limitViolations(summary: SelectionSummary, limits: OperationLimits): string[] {
  const problems: string[] = [];
  if (summary.width > limits.maxRootFields)
    problems.push(`The operation asks for ${summary.width} root fields; at most ${limits.maxRootFields} are allowed`);
  if (summary.depth > limits.maxDepth)
    problems.push(`The operation is nested ${summary.depth} levels deep; at most ${limits.maxDepth} are allowed`);
  if (summary.fields > limits.maxFields)
    problems.push(
      `The operation selects ${summary.fields} fields with its fragments expanded; at most ${limits.maxFields} are allowed`,
    );
  if (summary.cost > limits.maxCost)
    problems.push(`The operation would resolve about ${summary.cost} values; at most ${limits.maxCost} are allowed`);
  if (summary.introspectionFields > limits.maxIntrospectionFields)
    problems.push(
      `The operation asks for ${summary.introspectionFields} __schema/__type fields; at most ${limits.maxIntrospectionFields} are allowed`,
    );
  if (summary.introspectionDepth > limits.maxIntrospectionDepth)
    problems.push(
      `The introspection is nested ${summary.introspectionDepth} levels deep; at most ${limits.maxIntrospectionDepth} are allowed`,
    );
  return problems;
}

/**
 * A validation rule for client-written documents: refuses an operation past any limit before
 * anything runs. Fragments are summarised once per document, when validation enters it. The REST
 * routes' documents are fixed and need no such rule.
 */
export function operationLimitsRule(limits: OperationLimits = defaultOperationLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const summarizer = new SelectionSummarizer(context.getSchema(), limits);
    return {
      Document(node) {
        summarizer.summarizeFragments(
          node.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION),
        );
      },
      OperationDefinition(node: OperationDefinitionNode) {
        const rootType = context.getSchema().getRootType(node.operation) ?? undefined;
        const summary = summarizer.summarize(node.selectionSet, rootType);
        // One refusal is enough to act on; the first names the most basic limit.
        const [first] = limitViolations(summary, limits);
        if (first) context.reportError(new GraphQLError(first, { nodes: [node] }));
        return false;
      },
    };
  };
}

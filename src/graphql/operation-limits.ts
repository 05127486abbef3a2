import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";

export interface OperationLimits {
  /** Deepest field nesting; the schema has cycles (rep → assignments → rep …). */
  maxDepth: number;
  /** Root fields per operation, aliases included: each can be a whole list query. */
  maxRootFields: number;
}

export const defaultOperationLimits: OperationLimits = { maxDepth: 12, maxRootFields: 25 };

/**
 * A validation rule for client-written documents: refuses operations nested deeper or asking
 * for more root fields than the limits, before anything runs. The REST routes' documents are
 * fixed and need no such rule.
 */
export function operationLimitsRule(limits: OperationLimits = defaultOperationLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const fragment = (name: string) => context.getFragment(name);
    return {
      OperationDefinition(node) {
        const roots = countFields(node.selectionSet, fragment, new Set());
        if (roots > limits.maxRootFields) {
          context.reportError(
            new GraphQLError(
              `The operation asks for ${roots} root fields; at most ${limits.maxRootFields} are allowed`,
              {
                nodes: [node],
              },
            ),
          );
        }
        const depth = depthOf(node.selectionSet, fragment, new Set());
        if (depth > limits.maxDepth) {
          context.reportError(
            new GraphQLError(`The operation is nested ${depth} levels deep; at most ${limits.maxDepth} are allowed`, {
              nodes: [node],
            }),
          );
        }
      },
    };
  };
}

type FragmentLookup = (name: string) => FragmentDefinitionNode | null | undefined;

// `seen` guards against fragment cycles, which another validation rule reports on its own.
function countFields(selectionSet: SelectionSetNode, fragment: FragmentLookup, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== "__typename") count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countFields(selection.selectionSet, fragment, seen);
    } else {
      const definition = seen.has(selection.name.value) ? undefined : fragment(selection.name.value);
      if (definition) count += countFields(definition.selectionSet, fragment, new Set([...seen, selection.name.value]));
    }
  }
  return count;
}

function depthOf(selectionSet: SelectionSetNode, fragment: FragmentLookup, seen: Set<string>): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection walks the schema, not the data: IDEs nest `ofType` past the limit, harmlessly.
      const introspects = selection.name.value === "__schema" || selection.name.value === "__type";
      const below = selection.selectionSet && !introspects ? depthOf(selection.selectionSet, fragment, seen) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragment, seen));
    } else {
      const definition = seen.has(selection.name.value) ? undefined : fragment(selection.name.value);
      if (definition) {
        deepest = Math.max(
          deepest,
          depthOf(definition.selectionSet, fragment, new Set([...seen, selection.name.value])),
        );
      }
    }
  }
  return deepest;
}

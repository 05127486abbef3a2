import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from "graphql";

/** The fields a document selects below one field, by field name (aliases and fragments merged). */
export interface SelectionTree {
  [field: string]: SelectionTree;
}

const trees = new WeakMap<FieldNode, SelectionTree>();

/**
 * What the document selects below the field being resolved. A document's nodes live as long as
 * the parsed document does, so the tree is made once per document. `@skip` and `@include` are
 * not applied: a statement compiled from the tree reads a field the executor then leaves out,
 * and its text does not depend on variables.
 */
export function selectionOf(info: GraphQLResolveInfo): SelectionTree {
  const first = info.fieldNodes[0]!;
  let tree = trees.get(first);
  if (!tree) {
    tree = {};
    for (const node of info.fieldNodes) if (node.selectionSet) collect(node.selectionSet, info.fragments, tree);
    trees.set(first, tree);
  }
  return tree;
}

function collect(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, into: SelectionTree): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name.startsWith("__")) continue;
      const below = (into[name] ??= {});
      if (selection.selectionSet) collect(selection.selectionSet, fragments, below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, fragments, into);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment) collect(fragment.selectionSet, fragments, into);
    }
  }
}

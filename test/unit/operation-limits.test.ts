import {
  buildSchema,
  getIntrospectionQuery,
  Kind,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { defaultOperationLimits, operationLimitsRule } from "../../src/graphql/operation-limits.js";

const schema = buildSchema(`
  type Item { id: ID!, name: String, children: [Item!]!, parent: Item }
  type ItemPage { items: [Item!]!, totalCount: Int! }
  type Query {
    item: Item
    items(pageSize: Int): ItemPage!
    tags: [String!]!
  }
`);

/** The messages the limits rule reports for a document (graphql-js's own rules are not run). */
function refusals(document: string, limits = defaultOperationLimits): string[] {
  return validate(schema, parse(document), [operationLimitsRule(limits)]).map((error) => error.message);
}

function fragmentBomb(levels: number): string {
  let document = "{ ...F0 }\n";
  for (let level = 0; level < levels; level++) {
    document += `fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }\n`;
  }
  return `${document}fragment F${levels} on Query { item { id } }`;
}

describe("operation limits", () => {
  it("accepts ordinary documents", () => {
    expect(refusals(`{ item { id name parent { id } } items(pageSize: 50) { items { id } totalCount } tags }`)).toEqual(
      [],
    );
  });

  it("counts depth, root fields (aliases and fragments included) and reports only the first refusal", () => {
    expect(refusals(`{ item { ${"parent { ".repeat(12)}id${" }".repeat(12)} } }`)).toEqual([
      "The operation is nested 14 levels deep; at most 12 are allowed",
    ]);
    const roots = Array.from({ length: 26 }, (_, i) => `a${i}: item { id }`).join(" ");
    expect(refusals(`{ ...R } fragment R on Query { ${roots} }`)).toEqual([
      "The operation asks for 26 root fields; at most 25 are allowed",
    ]);
    expect(refusals(`{ __typename a: __typename }`)).toEqual([]);
  });

  it("counts a fragment bomb in linear time, from each fragment's summary", () => {
    const started = performance.now();
    const messages = refusals(fragmentBomb(40));
    expect(performance.now() - started).toBeLessThan(200);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/root fields/);
    // 2^40 spreads: the counts saturate rather than lose precision or overflow.
    expect(refusals(fragmentBomb(40), { ...defaultOperationLimits, maxRootFields: Infinity })[0]).toMatch(
      /selects \d+ fields with its fragments expanded; at most 1000/,
    );
  });

  it("walks deep documents without recursion", () => {
    // Built directly: the parser itself would overflow on a document this deep.
    const levels = 50_000;
    let selection: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "id" } };
    for (let level = 0; level < levels + 1; level++) {
      selection = {
        kind: Kind.FIELD,
        name: { kind: Kind.NAME, value: level === levels ? "item" : "parent" },
        selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] },
      };
    }
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          kind: Kind.OPERATION_DEFINITION,
          operation: OperationTypeNode.QUERY,
          selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] },
        },
      ],
    };
    const errors = validate(schema, document, [operationLimitsRule()]);
    expect(errors.map((error) => error.message)).toEqual([
      `The operation is nested ${levels + 2} levels deep; at most 12 are allowed`,
    ]);
  });

  it("estimates cost from page sizes and list sizes", () => {
    const limits = { ...defaultOperationLimits, maxCost: 1000, maxDepth: 100 };
    // 1 + 100 × (1 + 1): the page's item list is its page size, not counted twice; a variable page
    // size counts as 100: 1 + 100 × (1 + id + name + children (1 + 25)).
    expect(refusals(`{ items(pageSize: 100) { items { id } } }`, limits)).toEqual([]);
    expect(refusals(`query($n: Int) { items(pageSize: $n) { items { id name children { id } } } }`, limits)).toEqual([
      "The operation would resolve about 2901 values; at most 1000 are allowed",
    ]);
    // Lists without a page size hold `listSize` (25) items each: 1 + 25 × (1 + 25 × 1).
    expect(refusals(`{ item { children { children { id } } } }`, limits)).toEqual([]);
    expect(refusals(`{ item { children { children { children { id } } } } }`, limits)[0]).toMatch(
      /would resolve about 16277 values/,
    );
    expect(refusals(`{ tags }`, limits)).toEqual([]);
  });

  it("lets the standard introspection queries through and bounds introspection separately", () => {
    for (const query of [
      getIntrospectionQuery(),
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    ]) {
      expect(validate(schema, parse(query), [...specifiedRules, operationLimitsRule()])).toEqual([]);
    }
    expect(refusals(`{ __type(name: "Item") { ${"ofType { ".repeat(16)}name${" }".repeat(16)} } }`)).toEqual([
      "The introspection is nested 18 levels deep; at most 16 are allowed",
    ]);
    expect(
      refusals(
        `{ a: __schema { queryType { name } } b: __type(name: "Item") { name } c: __schema { types { name } } }`,
      ),
    ).toEqual(["The operation asks for 3 __schema/__type fields; at most 2 are allowed"]);
    // Introspection depth is its own: the standard query is 15 deep, past the 12 allowed elsewhere.
    expect(
      refusals(
        `{ item { id } __schema { types { fields { type { ${"ofType { ".repeat(10)}name${" }".repeat(10)} } } } } }`,
      ),
    ).toEqual([]);
  });

  it("ignores fragment cycles (graphql-js reports them) instead of looping", () => {
    expect(refusals(`{ ...A } fragment A on Query { item { id } ...B } fragment B on Query { ...A }`)).toEqual([]);
  });
});

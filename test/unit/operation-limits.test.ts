import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { operationLimitsRule } from "../../src/graphql/operation-limits.js";

// A cycle like the real schema's: rep → assignments → rep …
const schema = buildSchema(`
  interface Named { name: String }
  type Rep implements Named { name: String, assignments: [Assignment] }
  type Assignment { rep: Rep, note: String }
  type Query { rep: Rep, named: Named, a: Int, b: Int, c: Int, d: Int }
`);

const limits = { maxDepth: 4, maxRootFields: 3 };

/** The limit messages for a document, after the standard rules have passed it. */
function problems(document: string): string[] {
  const ast = parse(document);
  expect(validate(schema, ast, specifiedRules).map((e) => e.message)).toEqual([]);
  return validate(schema, ast, [operationLimitsRule(limits)]).map((e) => e.message);
}

const nested = (levels: number) => {
  let selection = "name";
  for (let level = 1; level < levels; level++)
    selection = level % 2 ? `rep { ${selection} }` : `assignments { ${selection} }`;
  return selection;
};

describe("operationLimitsRule: depth", () => {
  it("allows an operation exactly as deep as the limit", () => {
    expect(problems(`{ rep { assignments { rep { name } } } }`)).toEqual([]);
  });

  it("refuses one level more, naming the depth and the limit", () => {
    expect(problems(`{ rep { assignments { rep { assignments { note } } } } }`)).toEqual([
      "The operation is nested 5 levels deep; at most 4 are allowed",
    ]);
  });

  it("counts depth through fragment spreads and inline fragments", () => {
    const document = `
      query { rep { ...Deep } }
      fragment Deep on Rep { assignments { ... on Assignment { rep { assignments { note } } } } }`;
    expect(problems(document)).toEqual(["The operation is nested 5 levels deep; at most 4 are allowed"]);
  });

  it("does not count inline fragments and spreads as levels", () => {
    expect(problems(`{ named { ... on Rep { assignments { rep { name } } } } }`)).toEqual([]);
    expect(problems(`query { rep { ...A } } fragment A on Rep { ...B } fragment B on Rep { name }`)).toEqual([]);
  });

  it("measures the deepest branch", () => {
    expect(problems(`{ a rep { name assignments { note rep { assignments { note } } } } }`)).toHaveLength(1);
  });

  it("reports the default 12 levels on a real-sized nesting", () => {
    const rule = operationLimitsRule();
    const errors = (levels: number) => validate(schema, parse(`{ ${nested(levels)} }`), [rule]).map((e) => e.message);
    expect(errors(12)).toEqual([]);
    expect(errors(13)).toEqual(["The operation is nested 13 levels deep; at most 12 are allowed"]);
  });
});

describe("operationLimitsRule: root fields", () => {
  it("allows as many root fields as the limit and refuses one more", () => {
    expect(problems(`{ a b c }`)).toEqual([]);
    expect(problems(`{ a b c d }`)).toEqual(["The operation asks for 4 root fields; at most 3 are allowed"]);
  });

  it("counts aliases of one field as separate root fields", () => {
    expect(problems(`{ one: a two: a three: a four: a }`)).toEqual([
      "The operation asks for 4 root fields; at most 3 are allowed",
    ]);
  });

  it("counts root fields inside fragments and inline fragments", () => {
    expect(problems(`query { a ...More ... on Query { d } } fragment More on Query { b c }`)).toEqual([
      "The operation asks for 4 root fields; at most 3 are allowed",
    ]);
  });

  it("does not count __typename", () => {
    expect(problems(`{ __typename a b c }`)).toEqual([]);
  });

  it("checks each operation of a document on its own", () => {
    expect(problems(`query One { a b c } query Two { a b c }`)).toEqual([]);
    expect(problems(`query One { a } query Two { a b c d }`)).toEqual([
      "The operation asks for 4 root fields; at most 3 are allowed",
    ]);
  });

  it("reports both limits when both are passed", () => {
    expect(problems(`{ a b c rep { assignments { rep { assignments { note } } } } }`)).toEqual([
      "The operation asks for 4 root fields; at most 3 are allowed",
      "The operation is nested 5 levels deep; at most 4 are allowed",
    ]);
  });
});

describe("operationLimitsRule: fragment cycles", () => {
  it("terminates on cyclic fragments, which the standard rules refuse", () => {
    const ast = parse(
      `query { rep { ...A } } fragment A on Rep { assignments { rep { ...B } } } fragment B on Rep { ...A }`,
    );
    const messages = validate(schema, ast, [operationLimitsRule(limits)]).map((e) => e.message);
    expect(messages.every((m) => m.startsWith("The operation"))).toBe(true);
    expect(validate(schema, ast).some((e) => /Cannot spread fragment "A" within itself/.test(e.message))).toBe(true);
  });

  it("terminates on a fragment spreading itself at the root", () => {
    const ast = parse(`query { ...Q } fragment Q on Query { a ...Q }`);
    expect(validate(schema, ast, [operationLimitsRule(limits)])).toEqual([]);
  });
});

import { buildSchema, Kind, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { bindVariables, expandQuery, findReservedKey, reservedKeyProblem } from "../../src/rest/bind.js";
import { JsonObjectScalar } from "../../src/graphql/json-scalars.js";

const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

describe("expandQuery", () => {
  it("expands dotted and bracketed names into null-prototype objects", () => {
    const { query: out, reserved } = expandQuery({ "Filters[0].Field": "a", "Filters[0][Value]": "b", pageSize: "2" });
    expect(reserved).toEqual([]);
    expect(Object.getPrototypeOf(out)).toBeNull();
    const filters = out.Filters as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(filters)).toBeNull();
    expect({ ...filters[0] }).toEqual({ Field: "a", Value: "b" });
    expect(out.pageSize).toBe("2");
  });

  it.each([
    "__proto__.pageSize",
    "__proto__[pageSize]",
    "constructor.prototype.pageSize",
    "constructor[prototype][pageSize]",
    "Filters[__proto__][pageSize]",
    "Filters[0][__proto__][x]",
    "Filters.prototype",
    "__proto__",
  ])("reports %s, skips it, and leaves Object.prototype alone", (name) => {
    const { query: out, reserved } = expandQuery(
      Object.fromEntries([
        [name, "1"],
        ["Email", "a@example.com"],
      ]),
    );
    expect(reserved).toEqual([name]);
    expect(Object.keys(out)).toEqual(["Email"]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).pageSize).toBeUndefined();
  });
});

describe("findReservedKey", () => {
  it("finds a reserved key at any depth, without recursion", () => {
    expect(findReservedKey(JSON.parse('{"a":[{"b":{"__proto__":1}}]}'))).toBe("a[0].b.__proto__");
    let deep: unknown = { constructor: 1 };
    for (let level = 0; level < 100_000; level++) deep = { a: deep };
    expect(findReservedKey(deep)).toMatch(/\.constructor$/);
    expect(findReservedKey({ a: ["__proto__"] })).toBeUndefined();
  });
});

describe("bindVariables", () => {
  const schema = buildSchema(`
    scalar JSONObject
    input Filter { field: String!, value: String! }
    input Input { name: String!, attributes: JSONObject, filters: [Filter!] }
    type Query { run(input: Input, pageSize: Int): Boolean }
  `);
  // The real bounded scalar, so its limits bind exactly as on the server.
  Object.assign(schema.getType("JSONObject")!, {
    parseValue: JsonObjectScalar.parseValue.bind(JsonObjectScalar),
  });
  const operation = parse(`query($input: Input, $pageSize: Int) { run(input: $input, pageSize: $pageSize) }`)
    .definitions[0] as OperationDefinitionNode;
  expect(operation.kind).toBe(Kind.OPERATION_DEFINITION);

  const bind = (source: Record<string, unknown>, fromQuery = false) =>
    bindVariables(schema, operation, source, undefined, fromQuery);

  it("binds case-insensitively into null-prototype variables", () => {
    const { variables, errors } = bind({ INPUT: { Name: "x" }, pagesize: "5" }, true);
    expect(errors).toEqual({});
    expect(Object.getPrototypeOf(variables)).toBeNull();
    expect(variables.pageSize).toBe(5);
    expect({ ...(variables.input as object) }).toEqual({ name: "x" });
  });

  it("refuses NUL and lone surrogates anywhere in a bound value, naming the field", () => {
    expect(bind({ input: { name: "a\u0000" } }).errors).toEqual({
      "input.name": "must not contain the NUL character (U+0000)",
    });
    expect(bind({ input: { name: "\ud800" } }).errors["input.name"]).toMatch(/lone surrogate/);
    expect(bind({ input: { name: "x", attributes: { a: ["ok", "b\u0000"] } } }).errors).toEqual({
      "input.attributes.a[1]": "must not contain the NUL character (U+0000)",
    });
    expect(bind({ input: { name: "x", filters: '[{"field":"a","value":"\\u0000"}]' } }, true).errors).toEqual({
      "input.filters[0].value": "must not contain the NUL character (U+0000)",
    });
  });

  it("refuses reserved keys in JSON-encoded parameters and JSON values", () => {
    expect({ ...bind({ input: '{"name":"x","__proto__":{"pageSize":1}}' }, true).errors }).toEqual(
      Object.fromEntries([["input.__proto__", reservedKeyProblem]]),
    );
    expect(bind({ input: { name: "x", attributes: JSON.parse('{"a":{"constructor":1}}') } }).errors).toEqual({
      "input.attributes.a.constructor": reservedKeyProblem,
    });
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  });

  it("passes the JSON scalar's own limit through as the field's message", () => {
    let deep: unknown = 1;
    for (let level = 0; level < 40; level++) deep = { a: deep };
    expect(bind({ input: { name: "x", attributes: deep } }).errors).toEqual({
      "input.attributes": "JSON value nests 40 levels deep; at most 32 are allowed",
    });
  });
});

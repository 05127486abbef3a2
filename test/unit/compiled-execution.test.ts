import { buildSchema, GraphQLError, type GraphQLScalarType, parse, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { ForbiddenError } from "../../src/errors.js";
import { CompiledExecution } from "../../src/graphql/compiled-execution.js";

/** A small schema with the shapes that matter: lists of objects, a thrown error, a picky scalar, _entities. */
function testSchema(): GraphQLSchema {
  const schema = buildSchema(`
    scalar Shallow
    type Item { id: ID! name: String! secret: String }
    union _Entity = Item
    type Query {
      items(count: Int!): [Item!]!
      echo(value: Shallow): String
      _entities: [_Entity]!
    }
  `);
  const shallow = schema.getType("Shallow") as GraphQLScalarType;
  shallow.parseValue = (value) => {
    if (typeof value === "object" && value !== null) throw new TypeError("must not be an object, got one");
    return value;
  };
  const fields = schema.getQueryType()!.getFields();
  fields.items!.resolve = (_root, args: { count: number }) =>
    Array.from({ length: args.count }, (_, index) => ({ id: String(index), name: `item ${index}` }));
  (
    schema.getType("Item") as unknown as { getFields(): Record<string, { resolve?: unknown }> }
  ).getFields().secret!.resolve = () => {
    throw new ForbiddenError("not yours");
  };
  fields.echo!.resolve = (_root, args: { value?: unknown }) => JSON.stringify(args.value ?? null);
  // Federation answers a refused reference with an error in its place in the list.
  fields._entities!.resolve = () => [{ __typename: "Item", id: "1", name: "one" }, new ForbiddenError("refused")];
  (schema.getType("_Entity") as unknown as { resolveType: (value: { __typename: string }) => string }).resolveType = (
    value,
  ) => value.__typename;
  return schema;
}

describe("CompiledExecution", () => {
  const execution = new CompiledExecution(testSchema());

  it("answers what graphql-js answers for a list of objects", async () => {
    const result = await execution.execute({
      document: parse("query Items($count: Int!) { items(count: $count) { id name } }"),
      variableValues: { count: 3 },
      contextValue: {},
    });
    expect(result).toEqual({
      data: {
        items: [
          { id: "0", name: "item 0" },
          { id: "1", name: "item 1" },
          { id: "2", name: "item 2" },
        ],
      },
    });
  });

  it("reports a resolver's error as a GraphQLError holding what was thrown, with path and location", async () => {
    const result = await execution.execute({
      document: parse("{ items(count: 1) { id secret } }"),
      contextValue: {},
    });
    expect(result.data).toEqual({ items: [{ id: "0", secret: null }] });
    const [error] = result.errors!;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error!.originalError).toBeInstanceOf(ForbiddenError);
    expect(error!.path).toEqual(["items", 0, "secret"]);
    expect(error!.locations).toEqual([{ line: 1, column: 24 }]);
  });

  it("words a bad variable as graphql-js does, with the scalar's own reason", async () => {
    const result = await execution.execute({
      document: parse("query Echo($value: Shallow) { echo(value: $value) }"),
      variableValues: { value: { nested: true } },
      contextValue: {},
    });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]).toBeInstanceOf(GraphQLError);
    expect(result.errors?.[0]?.message).toMatch(/must not be an object, got one/);
  });

  it("nulls a refused _entities reference in place, as graphql-js does", async () => {
    const result = await execution.execute({
      document: parse("{ _entities { ... on Item { id } } }"),
      contextValue: {},
    });
    expect(result.data).toEqual({ _entities: [{ id: "1" }, null] });
    expect(result.errors?.map((error) => error.path)).toEqual([["_entities", 1]]);
  });

  it("plans each document and operation once", () => {
    const document = parse("query A { items(count: 1) { id } } query B { items(count: 2) { name } }");
    expect(execution.plan(document, "A")).toBe(execution.plan(document, "A"));
    expect(execution.plan(document, "B")).not.toBe(execution.plan(document, "A"));
  });

  it("answers an unknown operation name with graphql-js's error", async () => {
    const result = await execution.execute({
      document: parse("query A { items(count: 1) { id } }"),
      operationName: "Missing",
      contextValue: {},
    });
    expect(result.errors?.[0]?.message).toBe('Unknown operation named "Missing".');
  });
});

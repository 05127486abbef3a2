import fc from "fast-check";
import { buildSchema, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { bindVariables, expandQuery } from "../../src/rest/bind.js";

const schema = buildSchema(`
  enum Direction { asc desc }
  input FilterInput { field: String!, operator: String!, value: String! }
  input AddressInput { city: String!, country: String }
  input UserInput { email: String!, age: Int, address: AddressInput }
  type Query {
    list(pageNumber: Int, pageSize: Int, active: Boolean, ratio: Float, sortDirection: Direction, filters: [FilterInput!]): Int
  }
  type Mutation {
    createUser(user: UserInput!, tags: [String!], id: ID!): Int
  }
`);

function operation(document: string): OperationDefinitionNode {
  return parse(document).definitions[0] as OperationDefinitionNode;
}

const list = operation(`
  query ($pageNumber: Int, $pageSize: Int, $active: Boolean, $ratio: Float, $sortDirection: Direction, $filters: [FilterInput!]) {
    list(pageNumber: $pageNumber, pageSize: $pageSize, active: $active, ratio: $ratio, sortDirection: $sortDirection, filters: $filters)
  }
`);
const createUser = operation(`
  mutation ($user: UserInput!, $tags: [String!], $id: ID!) { createUser(user: $user, tags: $tags, id: $id) }
`);
const createUserFromBody = operation(`
  mutation ($user: UserInput!) { createUser(user: $user, id: "x") }
`);

const fromQuery = (query: Record<string, unknown>) => bindVariables(schema, list, expandQuery(query), undefined, true);
const fromBody = (body: Record<string, unknown>) => bindVariables(schema, createUser, body, undefined, false);

describe("expandQuery", () => {
  it("keeps flat keys as they are", () => {
    expect(expandQuery({ PageNumber: "2", SortOn: "name" })).toEqual({ PageNumber: "2", SortOn: "name" });
  });

  it("nests dotted and indexed keys", () => {
    expect(expandQuery({ "Filters[0].Field": "name", "Filters[0].Value": "a", "Filters[1].Field": "city" })).toEqual({
      Filters: { 0: { Field: "name", Value: "a" }, 1: { Field: "city" } },
    });
    expect(expandQuery({ "user.address.city": "Miami" })).toEqual({ user: { address: { city: "Miami" } } });
  });

  it("nests any indexed field list", () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
    fc.assert(
      fc.property(
        key,
        fc.array(fc.dictionary(key, fc.string(), { minKeys: 1, maxKeys: 4 }), { maxLength: 5 }),
        (name, items) => {
          const flat: Record<string, string> = {};
          items.forEach((item, index) => {
            for (const [field, value] of Object.entries(item)) flat[`${name}[${index}].${field}`] = value;
          });
          const expanded = expandQuery(flat);
          items.forEach((item, index) => expect((expanded[name] as Record<string, unknown>)[index]).toEqual(item));
        },
      ),
    );
  });
});

describe("bindVariables", () => {
  it("binds request fields to variables whatever their case", () => {
    const binding = fromBody({ USER: { Email: "a@example.com", ADDRESS: { city: "Miami" } }, Id: "42" });
    expect(binding.errors).toEqual({});
    expect(binding.variables).toEqual({ user: { email: "a@example.com", address: { city: "Miami" } }, id: "42" });
  });

  it("binds any casing of a field's name to the same variable", () => {
    const recase = (name: string) =>
      fc
        .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
        .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(""));
    fc.assert(
      fc.property(recase("pageSize"), recase("sortDirection"), fc.integer(), (size, direction, page) => {
        const binding = bindVariables(schema, list, { [size]: page, [direction]: "desc" }, undefined, false);
        expect(binding).toEqual({ variables: { pageSize: page, sortDirection: "desc" }, errors: {} });
      }),
    );
  });

  it("drops fields the operation does not declare", () => {
    expect(fromBody({ user: { email: "a@example.com", admin: true }, id: "1", extra: 1 }).variables).toEqual({
      user: { email: "a@example.com" },
      id: "1",
    });
  });

  it("binds the whole body to the `bodyAs` variable", () => {
    const binding = bindVariables(schema, createUserFromBody, { Email: "a@example.com", Age: 30 }, "user", false);
    expect(binding).toEqual({ variables: { user: { email: "a@example.com", age: 30 } }, errors: {} });
  });

  it("names the missing fields of the `bodyAs` variable without the variable's name", () => {
    expect(bindVariables(schema, createUserFromBody, {}, "user", false).errors).toEqual({ email: "is required" });
  });

  it("reads query-string integers, numbers and booleans", () => {
    expect(fromQuery({ pageNumber: "2", PageSize: "10", active: "TRUE", ratio: "0.5" })).toEqual({
      variables: { pageNumber: 2, pageSize: 10, active: true, ratio: 0.5 },
      errors: {},
    });
    expect(fromQuery({ active: "false" }).variables).toEqual({ active: false });
  });

  it("reads any integer from a query string", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        expect(fromQuery({ pageNumber: String(n) })).toEqual({ variables: { pageNumber: n }, errors: {} });
      }),
    );
  });

  it("does not read JSON strings as numbers outside a query string", () => {
    expect(bindVariables(schema, list, { pageNumber: "2" }, undefined, false).errors).toEqual({
      pageNumber: "must be an integer",
    });
  });

  it("names mistyped scalars", () => {
    expect(fromQuery({ pageNumber: "two", active: "yes", ratio: "x", sortDirection: "up" }).errors).toEqual({
      pageNumber: "must be an integer",
      active: "must be true or false",
      ratio: "must be a number",
      sortDirection: "must be one of asc, desc",
    });
    expect(fromQuery({ pageNumber: "1.5" }).errors).toEqual({ pageNumber: "must be an integer" });
    expect(fromBody({ user: { email: 5 }, id: {} }).errors).toEqual({
      "user.email": "must be a string",
      id: "must be a string",
    });
  });

  it("names missing required fields by their path, nested included", () => {
    expect(fromBody({}).errors).toEqual({ user: "is required", id: "is required" });
    expect(fromBody({ user: { address: {} }, id: "1" }).errors).toEqual({
      "user.email": "is required",
      "user.address.city": "is required",
    });
  });

  it("treats an empty query-string value as missing only for required fields", () => {
    const binding = fromQuery({ "filters[0].field": "name", "filters[0].operator": "", "filters[0].value": "x" });
    expect(binding.errors).toEqual({ "filters[0].operator": "is required" });
  });

  it("refuses a scalar where an object is wanted, and broken JSON where a list is", () => {
    expect(fromBody({ user: "plain", id: "1" }).errors).toEqual({ user: "must be an object" });
    expect(fromBody({ user: { email: "a@example.com" }, id: "1", tags: "[1," }).errors).toEqual({
      tags: "must be a list",
    });
  });

  it("reads lists from indexed query keys, in index order", () => {
    const binding = fromQuery({
      "Filters[1].Field": "city",
      "Filters[1].Operator": "equals",
      "Filters[1].Value": "Miami",
      "Filters[0].Field": "name",
      "Filters[0].Operator": "contains",
      "Filters[0].Value": "Ac",
    });
    expect(binding).toEqual({
      variables: {
        filters: [
          { field: "name", operator: "contains", value: "Ac" },
          { field: "city", operator: "equals", value: "Miami" },
        ],
      },
      errors: {},
    });
  });

  it("reads lists from JSON text in a query string", () => {
    const binding = fromQuery({ filters: '[{"Field":"name","Operator":"equals","Value":"x"}]' });
    expect(binding).toEqual({
      variables: { filters: [{ field: "name", operator: "equals", value: "x" }] },
      errors: {},
    });
  });

  it("reads a single item as a list of one", () => {
    expect(fromBody({ user: { email: "a@example.com" }, id: "1", tags: "one" }).variables.tags).toEqual(["one"]);
    expect(
      fromQuery({ "filters.field": "name", "filters.operator": "equals", "filters.value": "x" }).variables,
    ).toEqual({
      filters: [{ field: "name", operator: "equals", value: "x" }],
    });
  });

  it("names list items by index", () => {
    expect(fromBody({ user: { email: "a@example.com" }, id: "1", tags: ["a", 2] }).errors).toEqual({
      "tags[1]": "must be a string",
    });
    expect(fromQuery({ "Filters[0].Field": "name" }).errors).toEqual({
      "filters[0].operator": "is required",
      "filters[0].value": "is required",
    });
  });

  it("binds any list of filters sent as indexed query keys", () => {
    const text = fc.string({ minLength: 1 });
    const filter = fc.record({ field: text, operator: text, value: text });
    fc.assert(
      fc.property(fc.array(filter, { minLength: 1, maxLength: 5 }), (filters) => {
        const query: Record<string, string> = {};
        filters.forEach((f, i) => {
          query[`Filters[${i}].Field`] = f.field;
          query[`Filters[${i}].Operator`] = f.operator;
          query[`Filters[${i}].Value`] = f.value;
        });
        expect(fromQuery(query)).toEqual({ variables: { filters }, errors: {} });
      }),
    );
  });
});

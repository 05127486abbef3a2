import "reflect-metadata";
import fc from "fast-check";
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../src/features/index.js";
import type { Client, HttpResult } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";

/**
 * Property-based fuzzing of every REST route and every GraphQL root field, derived from the route
 * table and the schema, so a new route or field is fuzzed without touching this file. `npm test`
 * runs a fixed seed and a modest number of runs; `FUZZ_RUNS=5000` (and `FUZZ_SEED`) for a long run.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 120);
const seed = Number(process.env.FUZZ_SEED ?? 20261127);
/** Room for a long run on a slow machine: each run is one HTTP request. */
const timeout = Math.max(120_000, runs * 300);

let kit: TestKit;
let client: Client;
let acme: Organization;
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  kit = await testKit({ mailWorker: false });
  client = kit.client;
  acme = await kit.organization();
  await acme.customer({ customerNumber: "C-FUZZ" });
});

afterAll(async () => {
  await kit?.close();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
});

// Internals a client must never read: stack frames, source paths, driver and SQL messages.
const leaks = [
  /\n\s+at /,
  /node_modules/,
  /\/work\//,
  /\.[jt]s:\d+:\d+/,
  /Maximum call stack/i,
  /PostgresError|PGlite/i,
  /\b(relation|column) "[^"]+"/,
  /duplicate key|violates .* constraint|invalid byte sequence|unsupported Unicode escape/i,
  /\b(select|insert into|delete from) .* (from|values|where)\b/i,
];

function assertSafe(what: string, result: HttpResult) {
  const context = `${what} → ${result.status} ${result.text.slice(0, 500)}`;
  expect(result.status, context).toBeLessThan(500);
  expect(result.text, context).not.toMatch(/INTERNAL_SERVER_ERROR/);
  for (const leak of leaks) expect(result.text, context).not.toMatch(leak);
  expect(Object.getOwnPropertyNames(Object.prototype).sort(), context).toEqual(prototypeBefore);
}

// ---- values --------------------------------------------------------------------------------

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udc00y",
    "\ud83d",
    "'; drop table users; --",
    "%00",
    "../../etc/passwd",
    "__proto__",
    "constructor",
    " ",
    "",
    "C-FUZZ",
    "USD",
    "a@example.com",
  ),
  fc.string({ minLength: 1, maxLength: 3 }).map((s) => s.repeat(2000)),
);

const scalarJunk = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 53, -1, 0, 1e308, true, false, null),
);

const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    scalarJunk,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "prototype", "a\u0000")),
      tie("value"),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/** A JSON value nested `levels` deep, built without recursion. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
  return value;
}
const deepJson = fc.integer({ min: 20, max: 60 }).map((levels) => nested(levels));

/** Mostly the right shape with hostile contents, sometimes the wrong shape altogether. */
function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(scalarJunk, anyJson, deepJson);
  if (isNonNullType(type))
    return fc.oneof(
      { weight: 6, arbitrary: valueFor(type.ofType, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  if (isListType(type)) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.array(valueFor(type.ofType, depth + 1), { maxLength: 3 }) },
      { weight: 1, arbitrary: wrong },
    );
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return wrong;
    const fields = Object.values(type.getFields());
    const record = fc.record(Object.fromEntries(fields.map((field) => [field.name, valueFor(field.type, depth + 1)])), {
      requiredKeys: [],
    });
    return fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: wrong });
  }
  if (isEnumType(type)) {
    return fc.oneof(fc.constantFrom(...type.getValues().map((value) => value.name)), hostileString);
  }
  switch (type.name) {
    case "Int":
    case "Float":
      return fc.oneof(fc.integer({ min: -5, max: 200 }), scalarJunk);
    case "Boolean":
      return fc.oneof(fc.boolean(), scalarJunk);
    case "JSON":
    case "JSONObject":
      return fc.oneof(anyJson, deepJson, wrong);
    default:
      return fc.oneof({ weight: 4, arbitrary: hostileString }, { weight: 1, arbitrary: wrong });
  }
}

/** Encodes text for a URL even when it holds a lone surrogate (encodeURIComponent would throw). */
const urlText = (text: string) =>
  encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));
const rawUrlJunk = fc.constantFrom("%00", "%ED%A0%80", "%FF", "%", "%C0%80", "%F0%9F");

// ---- REST ----------------------------------------------------------------------------------

const hostileNames = fc.constantFrom(
  "__proto__.pageSize",
  "__proto__[pageSize]",
  "constructor.prototype.pageSize",
  "constructor[prototype][x]",
  "Filters[__proto__][x]",
  "Filters[0][__proto__][x]",
  "Filters[0].Field",
  "Filters[0].Value",
  "prototype",
  "a\u0000b",
  "pageSize",
  "PAGESIZE",
);

interface RestCase {
  token: boolean;
  params: string[];
  query: [string, string][];
  junk: string;
  body: unknown;
  deepBody: number;
}

function routeCases(schema: GraphQLSchema) {
  return features
    .flatMap((feature) => feature.routes)
    .map((route) => {
      const operation = parse(route.operation).definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      )!;
      const variables = (operation.variableDefinitions ?? []).map((definition) => ({
        name: definition.variable.name.value,
        type: typeFromAST(schema, definition.type) as GraphQLInputType,
      }));
      const bodyType = variables.find((variable) => variable.name === route.bodyAs)?.type;
      const named = variables.filter((variable) => variable.name !== route.bodyAs);
      const bodyFields = bodyType
        ? valueFor(bodyType)
        : fc.record(Object.fromEntries(named.map((v) => [v.name, valueFor(v.type)])), { requiredKeys: [] });
      const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
      const arbitrary: fc.Arbitrary<RestCase> = fc.record({
        token: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        params: fc.tuple(...pathParams.map(() => hostileString)),
        query: fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...named.map((v) => v.name), "x"), hostileNames),
            fc.oneof(
              hostileString,
              anyJson.map((value) => JSON.stringify(value)),
            ),
          ),
          { maxLength: 5 },
        ),
        junk: fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: rawUrlJunk }),
        body: fc.oneof({ weight: 4, arbitrary: bodyFields }, { weight: 1, arbitrary: anyJson }),
        deepBody: fc.oneof(
          { weight: 6, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.constantFrom(100, 5000) },
        ),
      });
      return { route, arbitrary };
    });
}

async function sendRest(route: { method: string; path: string }, input: RestCase): Promise<HttpResult> {
  let path = route.path;
  for (const value of input.params) path = path.replace(/:\w+/, urlText(value) || input.junk || "x");
  const query = input.query.map(([key, value]) => `${urlText(key)}=${urlText(value)}`);
  if (input.junk) query.push(`junk=${input.junk}`, `${input.junk}=1`);
  const url = query.length ? `${path}?${query.join("&")}` : path;
  const token = input.token ? acme.adminToken : undefined;
  if (route.method === "GET") return client.request("GET", url, { token });
  const rawBody = input.deepBody
    ? `{"customerAttributes":${nestedText(input.deepBody)},"metaFields":[{"code":"a","value":${nestedText(input.deepBody)}}]}`
    : JSON.stringify(input.body);
  return client.request(route.method, url, { token, rawBody });
}

/** Nesting too deep for JSON.stringify, written as text. */
function nestedText(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
}

describe("fuzzing every REST route", () => {
  it(
    "never answers 5xx, an internal error, or internals, and never touches Object.prototype",
    async () => {
      const cases = routeCases(kit.server.schema);
      expect(cases.length).toBeGreaterThan(30);
      const property = fc.asyncProperty(
        fc
          .integer({ min: 0, max: cases.length - 1 })
          .chain((index) => cases[index]!.arbitrary.map((input) => ({ index, input }))),
        async ({ index, input }) => {
          const { route } = cases[index]!;
          assertSafe(
            `${route.method} ${route.path} ${JSON.stringify(input).slice(0, 300)}`,
            await sendRest(route, input),
          );
        },
      );
      await fc.assert(property, { numRuns: runs, seed, endOnFailure: true });
    },
    timeout,
  );

  it("covers every route at least once with its own hostile input", async () => {
    for (const { route, arbitrary } of routeCases(kit.server.schema)) {
      const [input] = fc.sample(arbitrary, { numRuns: 1, seed });
      assertSafe(`${route.method} ${route.path}`, await sendRest(route, input!));
      const nul = await client.request(route.method, `${route.path.replace(/:\w+/g, "%00")}?x=%00`, {
        token: acme.adminToken,
        ...(route.method === "GET" ? {} : { rawBody: `{"a":"\\u0000","b":"\\ud800"}` }),
      });
      assertSafe(`${route.method} ${route.path} with NUL`, nul);
    }
  }, 120_000);
});

// ---- GraphQL -------------------------------------------------------------------------------

function fieldCases(schema: GraphQLSchema) {
  const roots = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ] as const;
  return roots.flatMap(([operation, type]) =>
    Object.values(type?.getFields() ?? {}).map((field) => {
      const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ");
      const argumentsText = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
      const selection = isCompositeType(getNamedType(field.type)) ? "{ __typename }" : "";
      const document = `${operation} Fuzz${declarations ? `(${declarations})` : ""} { ${field.name}${argumentsText ? `(${argumentsText})` : ""} ${selection} }`;
      const variables = fc.record(Object.fromEntries(field.args.map((arg) => [arg.name, valueFor(arg.type)])), {
        requiredKeys: [],
      });
      return { name: `${operation} ${field.name}`, document, variables };
    }),
  );
}

describe("fuzzing every GraphQL root field", () => {
  it(
    "never answers 5xx, INTERNAL_SERVER_ERROR, or internals",
    async () => {
      const cases = fieldCases(kit.server.schema);
      expect(cases.length).toBeGreaterThan(30);
      const property = fc.asyncProperty(
        fc
          .integer({ min: 0, max: cases.length - 1 })
          .chain((index) => fc.tuple(fc.constant(index), cases[index]!.variables, fc.boolean())),
        async ([index, variables, anonymous]) => {
          const { name, document } = cases[index]!;
          const result = await client.request("POST", "/graphql", {
            token: anonymous ? undefined : acme.adminToken,
            rawBody: JSON.stringify({ query: document, variables }),
          });
          assertSafe(`${name} ${JSON.stringify(variables).slice(0, 300)}`, result);
        },
      );
      await fc.assert(property, { numRuns: runs, seed, endOnFailure: true });
    },
    timeout,
  );
});

describe("fuzzing the request envelope of /graphql", () => {
  const documents = [
    "query Customers { customers { items { customerNumber } } }",
    "query One($number: String!) { customer(customerNumber: $number) { customerNumber } } query Two { organization { id } }",
    "{ organization { id } }",
  ];
  const envelope = fc.record(
    {
      query: fc.constantFrom(...documents),
      operationName: fc.oneof(
        fc.constantFrom("Customers", "One", "Two", "Nope", "", null),
        hostileString,
        fc.jsonValue(),
      ),
      variables: fc.oneof(fc.constant(null), fc.jsonValue()),
      extensions: fc.oneof(
        fc.constant(null),
        fc.jsonValue(),
        fc.record({ persistedQuery: fc.record({ version: fc.jsonValue(), sha256Hash: fc.jsonValue() }) }),
      ),
    },
    { requiredKeys: ["query"] },
  );

  it(
    "never answers 5xx, INTERNAL_SERVER_ERROR, or internals for operationName, extensions or batches",
    async () => {
      const property = fc.asyncProperty(
        fc.oneof(envelope, fc.array(envelope, { maxLength: 3 })),
        fc.boolean(),
        async (body, anonymous) => {
          const result = await client.request("POST", "/graphql", {
            token: anonymous ? undefined : acme.adminToken,
            rawBody: JSON.stringify(body),
          });
          assertSafe(`envelope ${JSON.stringify(body).slice(0, 300)}`, result);
        },
      );
      await fc.assert(property, { numRuns: runs, seed, endOnFailure: true });
    },
    timeout,
  );

  it.each([
    ["an operation without variables", "query Customers { customers { items { customerNumber } } }"],
    [
      "an operation with required variables",
      "query One($number: String!) { customer(customerNumber: $number) { customerNumber } }",
    ],
  ])("answers 400 OPERATION_RESOLUTION_FAILURE for an unknown operationName on %s", async (_what, query) => {
    const result = await client.request("POST", "/graphql", {
      token: acme.adminToken,
      rawBody: JSON.stringify({ query, operationName: "Nope" }),
    });
    expect(result.status, result.text).toBe(400);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: 'Unknown operation named "Nope".',
        extensions: expect.objectContaining({ code: "OPERATION_RESOLUTION_FAILURE" }),
      }),
    ]);
  });
});

import "reflect-metadata";
import { request as httpRequest } from "node:http";
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";

let kit: TestKit;
let client: Client;
let acme: Organization;

beforeAll(async () => {
  kit = await testKit({ mailWorker: false });
  client = kit.client;
  acme = await kit.organization();
});

afterAll(async () => {
  await kit?.close();
});

/** Each refusal must come back well within this, however much work the document asks for (CI margin included). */
const bound = 1000;

/**
 * Posts a raw /graphql body while another client asks /healthz, and times both: a refusal that
 * took the event loop hostage would delay the health check as long.
 */
async function timed(rawBody: string, token?: string) {
  const started = performance.now();
  const healthStarted = performance.now();
  const [result, health] = await Promise.all([
    client.post("/graphql", { rawBody, token }),
    client.get("/healthz").then((answer) => ({ answer, ms: performance.now() - healthStarted })),
  ]);
  const ms = performance.now() - started;
  expect(health.answer.status).toBe(200);
  expect(health.ms).toBeLessThan(bound);
  expect(ms).toBeLessThan(bound);
  return result;
}

const send = (query: string, variables?: unknown, token?: string) => timed(JSON.stringify({ query, variables }), token);

function codesOf(body: { errors?: { extensions?: { code?: string } }[] }) {
  return (body.errors ?? []).map((error) => error.extensions?.code);
}

/** `fragment F0 { ...F1 ...F1 } … F21 { leaf }`: 2^22 spreads from a document under 1 KB. */
function fragmentBomb(root: string, onType: string, leaf: string, levels = 22): string {
  let document = `query Bomb { ${root} }\n`;
  for (let level = 0; level < levels; level++) {
    document += `fragment F${level} on ${onType} { ...F${level + 1} ...F${level + 1} }\n`;
  }
  return `${document}fragment F${levels} on ${onType} { ${leaf} }`;
}

describe("documents that ask for unbounded work are refused quickly", () => {
  it("refuses a fragment bomb on Query, anonymous", async () => {
    const document = fragmentBomb("...F0", "Query", '__typename userExists(email: "a@example.com")');
    expect(document.length).toBeLessThan(1300);
    const result = await send(document);
    expect(result.status).toBe(400);
    expect(codesOf(result.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("refuses a fragment bomb under organization", async () => {
    const result = await send(fragmentBomb("organization { ...F0 }", "Organization", "id name"), {}, acme.adminToken);
    expect(result.status).toBe(400);
    expect(codesOf(result.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(result.body.errors[0].message).toMatch(/fields with its fragments expanded/);
  });

  it("refuses a fragment bomb inside __schema", async () => {
    const result = await send(fragmentBomb("__schema { ...F0 }", "__Schema", "types { name }"));
    expect(result.status).toBe(400);
    expect(codesOf(result.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  for (const levels of [5000, 40000]) {
    it(`refuses ${levels} levels of nesting as a parse error, not an internal one`, async () => {
      const result = await send(`${"{a".repeat(levels)}${"}".repeat(levels)}`);
      expect(result.status).toBe(400);
      expect(codesOf(result.body)).toEqual(["GRAPHQL_PARSE_FAILED"]);
      expect(result.body.errors[0].message).toMatch(
        /^Syntax Error: Document contains more than 2000 tokens\. Parsing aborted\.$/,
      );
    });
  }

  it("refuses deep nesting of real fields within the token limit", async () => {
    let nested = "id";
    for (let level = 0; level < 150; level++) nested = `salesRep { assignments { ${nested} } }`;
    const result = await send(`{ organizationSalesReps { items { ${nested} } } }`, {}, acme.adminToken);
    expect(result.status).toBe(400);
    expect(result.body.errors[0].message).toMatch(/nested 303 levels deep; at most 12/);
  });

  it("refuses thousands of aliases, and wide documents past the root-field and cost limits", async () => {
    const aliases = Array.from({ length: 3000 }, (_, i) => `a${i}: __typename`).join(" ");
    const tooManyTokens = await send(`{ ${aliases} }`);
    expect(tooManyTokens.status).toBe(400);
    expect(codesOf(tooManyTokens.body)).toEqual(["GRAPHQL_PARSE_FAILED"]);

    const roots = Array.from({ length: 300 }, (_, i) => `o${i}: organization { id }`).join(" ");
    const wide = await send(`{ ${roots} }`, {}, acme.adminToken);
    expect(wide.status).toBe(400);
    expect(wide.body.errors[0].message).toMatch(/300 root fields; at most 25/);

    const nestedLists = `{ organizationSalesReps(pageSize: 100) { items { salesRep { assignments { salesRep { assignments { id } } } } } } }`;
    const costly = await send(nestedLists, {}, acme.adminToken);
    expect(costly.status).toBe(400);
    expect(costly.body.errors[0].message).toMatch(/would resolve about \d+ values; at most 50000/);
  });

  it("refuses introspection loops and repeated __schema", async () => {
    const loop = await send(`{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`);
    expect(loop.status).toBe(400);
    expect(codesOf(loop.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);

    const ofTypes = `{ __type(name: "Query") { ${"ofType { ".repeat(20)}name${" }".repeat(20)} } }`;
    const deep = await send(ofTypes);
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].message).toMatch(/introspection is nested 22 levels deep; at most 16/);

    const repeated = Array.from({ length: 10 }, (_, i) => `s${i}: __schema { types { name } }`).join(" ");
    const many = await send(`{ ${repeated} }`);
    expect(many.status).toBe(400);
    expect(many.body.errors[0].message).toMatch(/10 __schema\/__type fields; at most 2/);
  });

  it("refuses batched operations with a clear 400", async () => {
    const batch = JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    const result = await timed(batch);
    expect(result.status).toBe(400);
    expect(codesOf(result.body)).toEqual(["BAD_REQUEST"]);
    expect(result.body.errors[0].message).toMatch(/batching disabled/i);
  });

  it("refuses huge and deep variables", async () => {
    const huge = await timed(
      JSON.stringify({ query: "query($e: String!) { userExists(email: $e) }", variables: { e: "x".repeat(300_000) } }),
    );
    expect(huge.status).toBe(413);

    const deepJson = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
    const deep = await timed(
      `{"query":"mutation($i: UpsertCustomerInput!) { upsertCustomer(input: $i) { id } }","variables":{"i":{"customerNumber":"C","companyName":"X","customerAttributes":${deepJson}}}}`,
      acme.adminToken,
    );
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toMatch(/nests 5\d+ levels deep; at most 64/);

    let attributes: unknown = "leaf";
    for (let level = 0; level < 40; level++) attributes = { a: attributes };
    const scalar = await send(
      "mutation($i: UpsertCustomerInput!) { upsertCustomer(input: $i) { id } }",
      { i: { customerNumber: "C-deep", companyName: "X", customerAttributes: attributes } },
      acme.adminToken,
    );
    expect(scalar.status).toBe(400);
    expect(codesOf(scalar.body)).toEqual(["BAD_USER_INPUT"]);
    expect(scalar.body.errors[0].message).toMatch(/nests 40 levels deep; at most 32/);
  });

  it("answers a persisted-query hash that does not match its query as a client error", async () => {
    const result = await timed(
      JSON.stringify({
        query: "{ __typename }",
        extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
      }),
    );
    expect(result.status).toBe(400);
    expect(codesOf(result.body)).toEqual(["PERSISTED_QUERY_HASH_MISMATCH"]);
  });

  it("refuses NUL and lone surrogates in variables and literals as BAD_USER_INPUT", async () => {
    const query = 'mutation($n: String!) { createPriceTier(name: $n, currencyCode: "USD") { id } }';
    for (const bad of ["a\u0000b", "a\ud800b", "\udc00"]) {
      const result = await send(query, { n: bad }, acme.adminToken);
      expect(result.status).toBe(400);
      expect(codesOf(result.body)).toEqual(["BAD_USER_INPUT"]);
      expect(result.body.errors[0].message).toMatch(/^Variable \$n /);
    }
    const literal = await send(
      'mutation { createPriceTier(name: "a\\u0000b", currencyCode: "USD") { id } }',
      {},
      acme.adminToken,
    );
    expect(literal.status).toBe(400);
    expect(codesOf(literal.body)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("what tools send is served", () => {
  const variants = {
    "graphql-js getIntrospectionQuery()": getIntrospectionQuery(),
    "every option (GraphiQL, Apollo Sandbox)": getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    }),
  };
  for (const [name, query] of Object.entries(variants)) {
    it(`answers the standard introspection query: ${name}`, async () => {
      const result = await send(query);
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data.__schema.queryType.name).toBe("Query");
      expect(result.body.data.__schema.types.length).toBeGreaterThan(20);
    });
  }

  it("answers a large legitimate query within every limit", async () => {
    const roots = Array.from(
      { length: 25 },
      (_, i) => `c${i}: customers(pageSize: 20) { items { customerNumber companyName } totalCount }`,
    );
    const result = await client.graphql(`{ ${roots.join(" ")} }`, {}, acme.adminToken);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });
});

describe("Expect: 100-continue", () => {
  function expectContinue(length: number): Promise<{ status: number; body: string; sentBody: boolean }> {
    return new Promise((resolve, reject) => {
      let sentBody = false;
      const request = httpRequest(`${kit.server.url}/api/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(length), expect: "100-continue" },
      });
      request.on("continue", () => {
        sentBody = true;
        request.end(`{"Email":"a@example.com","Password":"x"}`.padEnd(length, " "));
      });
      request.on("response", (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body, sentBody }));
      });
      request.on("error", reject);
    });
  }

  it("answers an oversize Content-Length 413 before the body is sent", async () => {
    const result = await expectContinue(10 * 1024 * 1024);
    expect(result.status).toBe(413);
    expect(result.sentBody).toBe(false);
    expect(JSON.parse(result.body)).toMatchObject({ status: 413, detail: expect.stringMatching(/at most 262144/) });
  });

  it("lets a body within the limit continue", async () => {
    const result = await expectContinue(200);
    expect(result.sentBody).toBe(true);
    expect(result.status).toBe(401);
  });
});

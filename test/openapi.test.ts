import * as fs from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import spectralCore from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import { bundleAndLoadRuleset } from "@stoplight/spectral-ruleset-bundler/with-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../src/features/index.js";
import { maxPageSize } from "../src/pagination.js";
import { maxListLength, maxTextLength } from "../src/storable-text.js";
import type { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";

let kit: TestKit;
let client: Client;
let document: any;

beforeAll(async () => {
  // As a production deployment serves it: reached over https, with browser origins allowed.
  kit = await testKit({ env: { PUBLIC_URL: "https://gateway.example", CORS_ORIGINS: "https://app.example" } });
  client = kit.client;
  const result = await client.get("/openapi.json");
  expect(result.status).toBe(200);
  document = result.body;
});
afterAll(() => kit?.close());

const routes = features.flatMap((feature) => feature.routes);
const openApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");
const operationOf = (method: string, path: string) => document.paths[openApiPath(path)]?.[method.toLowerCase()];

/** The route table's public routes, as the README lists them. */
const publicRoutes = new Set([
  "POST /api/auth/sign-in",
  "POST /api/auth/invitations/accept",
  "POST /api/organizations",
  "GET /api/users/exists",
  "POST /api/auth/memberships/leave",
  "POST /api/auth/password-reset",
  "POST /api/auth/password-reset/confirm",
]);
const rateLimitedRoutes = new Set([
  "POST /api/auth/sign-in",
  "POST /api/organizations",
  "POST /api/organizations/api-clients",
  "POST /api/auth/invitations/accept",
  "GET /api/users/exists",
  "POST /api/organizations/users/admins",
  "POST /api/auth/memberships/leave",
  "POST /api/auth/password-reset",
  "POST /api/auth/password-reset/confirm",
]);

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every registered REST route, and nothing else", () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((route) => `${route.method} ${openApiPath(route.path)}`).sort());
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "%s lists the statuses its rule allows",
    (name, route) => {
      const operation = operationOf(route.method, route.path);
      const statuses = Object.keys(operation.responses);
      expect(statuses).toContain(String(route.successStatus ?? 200));
      if (publicRoutes.has(name)) {
        expect(statuses).not.toContain("401");
        expect(statuses).not.toContain("403");
        expect(operation.security).toEqual([]);
      } else {
        expect(statuses).toEqual(expect.arrayContaining(["401", "403"]));
        expect(operation.security).toContainEqual({ bearerAuth: [] });
      }
      expect(statuses.includes("429")).toBe(rateLimitedRoutes.has(name));
      if (route.method !== "GET" || (route.operation.match(/\$\w+/g) ?? []).length > 0)
        expect(statuses).toContain("400");
    },
  );

  it("names its license, contact and tags, tags each operation with one of them, and documents 500 everywhere", () => {
    expect(document.info.contact).toEqual({
      name: "B2B account gateway maintainers",
      email: "security@b2b-account-gateway.example",
    });
    expect(document.info.license).toEqual({ name: "Proprietary" });
    expect(document.servers).toEqual([{ url: "https://gateway.example", "x-internal": false }]);
    const tags = document.tags.map((tag: { name: string }) => tag.name);
    expect(tags).toEqual(features.filter((feature) => feature.routes.length > 0).map((feature) => feature.name));
    for (const tag of document.tags) expect(tag.description).toBeTruthy();
    for (const route of routes) {
      const operation = operationOf(route.method, route.path);
      expect(operation.tags).toHaveLength(1);
      expect(tags).toContain(operation.tags[0]);
      expect(
        operation.responses["500"].content["application/problem+json"] ??
          operation.responses["500"].content["application/json"],
      ).toBeDefined();
    }
  });

  it("states the RateLimit fields on the success and 429 of each limited route, with Retry-After on 429", () => {
    for (const route of routes) {
      const name = `${route.method} ${route.path}`;
      const { responses } = operationOf(route.method, route.path);
      const success = responses[String(route.successStatus ?? 200)];
      if (!rateLimitedRoutes.has(name)) {
        expect(success.headers?.RateLimit, name).toBeUndefined();
        continue;
      }
      for (const answer of [success, responses["429"]]) {
        expect(Object.keys(answer.headers), name).toEqual(expect.arrayContaining(["RateLimit", "RateLimit-Policy"]));
      }
      expect(responses["429"].headers["Retry-After"].schema).toMatchObject({ type: "integer", minimum: 1 });
    }
    const signIn = operationOf("POST", "/api/auth/sign-in").responses["200"].headers;
    expect(signIn["RateLimit-Policy"].schema.enum).toEqual(['"signIn";q=60;w=60']);
    const exists = operationOf("GET", "/api/users/exists").responses["429"].headers;
    expect(exists["RateLimit-Policy"].schema.enum).toEqual([
      '"userExists";q=10;w=60',
      expect.stringMatching(/^"userExists";q=10;w=60, "emailLookup";q=\d+;w=60$/),
    ]);
  });

  it("bounds every string and list a request carries as the server does, and the server refuses beyond them", async () => {
    const text = JSON.stringify(
      Object.values(document.paths).map((methods: any) =>
        Object.values(methods).map((op: any) => [op.parameters, op.requestBody]),
      ),
    );
    const lengths = [...text.matchAll(/"maxLength":(\d+)/g)].map((match) => Number(match[1]));
    expect(Math.max(...lengths)).toBe(maxTextLength);
    expect([...new Set([...text.matchAll(/"maxItems":(\d+)/g)].map((match) => Number(match[1])))]).toEqual([
      maxListLength,
    ]);

    const org = await kit.organization();
    const long = await client.get("/api/users/exists", { query: { Email: "a".repeat(maxTextLength + 1) } });
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual({ Email: `must be at most ${maxTextLength} characters` });
    const many = await client.post("/api/organizations/webhooks", {
      token: org.adminToken,
      body: { Url: "https://example.com/hook", EventTypes: Array(maxListLength + 1).fill("user.added") },
    });
    expect(many.status).toBe(400);
    expect(many.body.errors).toEqual({ EventTypes: `must have at most ${maxListLength} items` });
    const gql = await client.graphql(`query ($email: String!) { userExists(email: $email) }`, {
      email: "a".repeat(maxTextLength + 1),
    });
    expect(gql.codes).toEqual(["BAD_USER_INPUT"]);
    expect(gql.errors![0]!.message).toBe(`Variable $email must be at most ${maxTextLength} characters`);
  });

  it("offers an Idempotency-Key header, with 409 and 422, on every write that has a caller", () => {
    for (const route of routes) {
      const operation = operationOf(route.method, route.path);
      const header = (operation.parameters ?? []).find((p: any) => p.name === "Idempotency-Key");
      const keyed = route.method !== "GET" && !publicRoutes.has(`${route.method} ${route.path}`);
      expect(Boolean(header), `${route.method} ${route.path}`).toBe(keyed);
      if (!keyed) continue;
      expect(header).toMatchObject({ in: "header", required: false, schema: { type: "string", maxLength: 255 } });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["409", "422"]));
    }
  });

  it("describes request parameters and bodies in each route's casing", () => {
    const exists = operationOf("GET", "/api/users/exists");
    expect(exists.parameters).toEqual([
      { name: "Email", in: "query", required: true, schema: { type: "string", maxLength: maxTextLength } },
    ]);

    const customer = operationOf("GET", "/api/customers/:customerNumber");
    expect(customer.parameters).toContainEqual(expect.objectContaining({ name: "customerNumber", in: "path" }));

    const paging = operationOf("GET", "/api/customers").parameters.filter((p: any) => p.name.startsWith("page"));
    expect(paging.map((p: any) => [p.name, p.schema.minimum, p.schema.maximum])).toEqual([
      ["pageNumber", 1, 2 ** 31 - 1],
      ["pageSize", 1, maxPageSize],
    ]);
    const filters = operationOf("GET", "/api/customers").parameters.find((p: any) => p.name === "filters");
    expect(filters.content["application/json"].schema.items.properties).toHaveProperty("field");

    const signIn = operationOf("POST", "/api/auth/sign-in").requestBody.content["application/json"].schema;
    expect(signIn).toMatchObject({ type: "object", required: ["Email", "Password"] });

    const created = operationOf("POST", "/api/organizations").requestBody.content["application/json"].schema;
    expect(Object.keys(created.properties)).toEqual(expect.arrayContaining(["Organization", "User"]));
  });

  it("describes responses as the routes answer them, reshaped ones included", async () => {
    const org = await kit.organization();
    await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: "Wholesale", CurrencyCode: "USD" },
    });
    for (const path of ["/api/organizations/price-tiers", "/api/organization", "/api/organizations/users"]) {
      const answer = await client.get(path, { token: org.adminToken });
      expect(answer.status).toBe(200);
      const schema = operationOf("GET", path).responses["200"].content["application/json"].schema;
      const [sample, documented] = schema.type === "array" ? [answer.body[0], schema.items] : [answer.body, schema];
      expect(Object.keys(sample).sort()).toEqual(Object.keys(documented.properties).sort());
    }
    const tiers = operationOf("GET", "/api/organizations/price-tiers").responses["200"];
    expect(tiers.headers).toHaveProperty("X-Total-Count");
    expect(operationOf("DELETE", "/api/organizations/price-tiers").responses["200"].content).toBeUndefined();
  });
});

describe("the document as Spectral's OWASP API Security ruleset reads it", () => {
  it("has no errors under the committed .spectral.yaml", async () => {
    const spectral = new spectralCore.Spectral();
    // The ruleset is read from node_modules; nothing may be fetched.
    const fetch = async () => {
      throw new Error("the Spectral ruleset must not load anything over the network");
    };
    spectral.setRuleset(
      await bundleAndLoadRuleset(new URL("../.spectral.yaml", import.meta.url).pathname, { fs, fetch }),
    );
    const results = await spectral.run(
      new spectralCore.Document(JSON.stringify(document), spectralParsers.Json, "openapi.json"),
    );
    const errors = results
      .filter((result) => result.severity === 0)
      .map((result) => `${String(result.code)} at ${result.path.join(".")}: ${result.message}`);
    expect(errors).toEqual([]);
  });
});

describe("GET /docs", () => {
  it("serves Swagger UI from this server", async () => {
    const page = await client.get("/docs/", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("swagger-ui-bundle.js");
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = /src="([^"]*swagger-ui-bundle\.js)"/.exec(page.text)![1]!;
    expect((await client.get(new URL(bundle, `${kit.server.url}/docs/`).pathname)).status).toBe(200);
    expect((await client.get("/docs/json")).body.paths).toEqual(document.paths);
  });
});

describe("the document as a generated client reads it", () => {
  const itemsOf = (schema: any) => (schema.type === "array" ? schema.items : schema.properties.Data.items);

  it.each([
    ["/api/organizations/users/admins", (body: any) => body],
    ["/api/organizations/users", (body: any) => body.Data],
  ])("names the role words GET %s answers", async (path, listOf) => {
    const org = await kit.organization();
    const answer = await client.get(path, { token: org.adminToken });
    expect(answer.status).toBe(200);
    const schema = operationOf("GET", path).responses["200"].content["application/json"].schema;
    const roles = itemsOf(schema).properties.Roles;
    expect(roles.items.enum).toEqual(["admin", "customer", "salesrep"]);
    const sent = (listOf(answer.body) as { Roles: string[] }[]).flatMap((member) => member.Roles);
    expect(sent).toContain("admin");
    for (const role of sent) expect(roles.items.enum).toContain(role);
  });

  it("marks every field GET /api/organization always answers as required, null or not", async () => {
    const org = await kit.organization();
    const answer = await client.get("/api/organization", { token: org.adminToken });
    expect(answer.status).toBe(200);
    const schema = operationOf("GET", "/api/organization").responses["200"].content["application/json"].schema;
    expect([...schema.required].sort()).toEqual(Object.keys(answer.body).sort());
    const organization = schema.properties.Organization;
    expect([...organization.required].sort()).toEqual(Object.keys(answer.body.Organization).sort());
    expect(answer.body.Organization.Website).toBeNull();
    expect(organization.properties.Website.type).toContain("null");
  });

  it("lets customerAttributes hold any keys, as the REST guide's example sends", () => {
    const schemas = JSON.stringify(document);
    const attributes = [...schemas.matchAll(/"[Cc]ustomerAttributes":(\{[^}]*\})/g)].map((match) =>
      JSON.parse(match[1]!),
    );
    expect(attributes.length).toBeGreaterThan(0);
    for (const schema of attributes) {
      expect([schema.type].flat()).toContain("object");
      expect(schema.additionalProperties).toBe(true);
    }
  });
});

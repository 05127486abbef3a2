import { readFileSync } from "node:fs";
import { buildSchema, isObjectType, Kind, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { features } from "../src/features/index.js";
import { describeAccess, isOpenToAnonymous } from "../src/auth/access.js";
import { shieldRules } from "../src/graphql/rules.js";
import { buildBareSchema, buildGatewaySchema, printGatewaySchema } from "../src/graphql/schema.js";
import { prepareRoute } from "../src/rest/register.js";

describe("the GraphQL schema", () => {
  it("matches the committed schema/schema.graphql (run npm run schema:print after changing the API)", async () => {
    const { schema } = await buildGatewaySchema(features);
    const committed = readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(printGatewaySchema(schema)).toBe(committed);
  });

  it("gives every Query and Mutation field a declared access, and no declaration to a field that does not exist", async () => {
    const bare = await buildBareSchema(features);
    const { access } = await buildGatewaySchema(features);
    for (const root of ["Query", "Mutation"] as const) {
      const type = bare.getType(root);
      const fields = type && isObjectType(type) ? Object.keys(type.getFields()) : [];
      const ruled = Object.keys(access[root]);
      expect(
        fields.filter((field) => !ruled.includes(field)),
        `${root} fields without a rule`,
      ).toEqual([]);
      expect(
        ruled.filter((field) => !fields.includes(field)),
        `${root} rules for no field`,
      ).toEqual([]);
    }
  });

  it("reads back from the committed SDL with the same root types", async () => {
    const sdl = readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    const loaded = buildSchema(sdl);
    // A type named Subscription would be taken for the subscription root by anything loading the file.
    expect(loaded.getSubscriptionType()).toBeUndefined();
    expect(loaded.getQueryType()?.name).toBe("Query");
    expect(loaded.getMutationType()?.name).toBe("Mutation");
  });

  it("has every REST route's document valid, runs its root field under its declaration, and opens a route to anonymous callers only as declared", async () => {
    const { schema, access } = await buildGatewaySchema(features);
    const isPublicField = (type: "Query" | "Mutation", field: string) => isOpenToAnonymous(access[type][field]);
    for (const route of features.flatMap((feature) => feature.routes)) {
      const prepared = prepareRoute(route, isPublicField);
      // The server does not validate route documents at start-up: this is where a broken one fails.
      expect(
        validate(schema, prepared.document).map((problem) => problem.message),
        `${route.method} ${route.path}`,
      ).toEqual([]);
      const type = prepared.operation.operation === "mutation" ? "Mutation" : "Query";
      const selection = prepared.operation.selectionSet.selections[0]!;
      const field = selection.kind === Kind.FIELD ? selection.name.value : "";
      const declared = access[type][field];
      expect(declared, `${route.method} ${route.path} runs ${type}.${field}`).toBeDefined();
      expect(prepared.isPublic, `${route.method} ${route.path}`).toBe(declared!.kind === "anyone");
    }
  });

  it("makes each root field's shield rule from its declaration", async () => {
    const { access } = await buildGatewaySchema(features);
    const rules = shieldRules(access) as Record<string, Record<string, { name: string }>>;
    for (const root of ["Query", "Mutation"] as const) {
      for (const [field, declared] of Object.entries(access[root])) {
        expect(rules[root]![field]!.name).toBe(`${root}.${field}: ${describeAccess(declared)}`);
      }
    }
  });

  it("declares each REST route once", () => {
    const routes = features.flatMap((feature) => feature.routes).map((route) => `${route.method} ${route.path}`);
    expect(routes.length).toBe(new Set(routes).size);
  });

  it("keeps rules off object fields, so lists are not wrapped field by field", async () => {
    const { schema, bare } = await buildGatewaySchema(features);
    const wrapped: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__") || type.name === "Query" || type.name === "Mutation")
        continue;
      const original = bare.getType(type.name);
      for (const [name, field] of Object.entries(type.getFields())) {
        const before = isObjectType(original) ? original.getFields()[name]?.resolve : undefined;
        if (field.resolve !== before) wrapped.push(`${type.name}.${name}`);
      }
    }
    expect(wrapped).toEqual([]);
  });

  it("does wrap root fields", async () => {
    const { schema, bare } = await buildGatewaySchema(features);
    const root = schema.getQueryType()!.getFields().organization!;
    expect(root.resolve).not.toBe(bare.getQueryType()!.getFields().organization!.resolve);
  });
});

import { readFileSync } from "node:fs";
import { buildSchema, isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { features } from "../src/features/index.js";
import { buildBareSchema, buildGatewaySchema, printGatewaySchema } from "../src/graphql/schema.js";

describe("the GraphQL schema", () => {
  it("matches the committed schema/schema.graphql (run npm run schema:print after changing the API)", async () => {
    const { schema } = await buildGatewaySchema(features);
    const committed = readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(printGatewaySchema(schema)).toBe(committed);
  });

  it("gives every Query and Mutation field an explicit rule, and no rule to a field that does not exist", async () => {
    const bare = await buildBareSchema(features);
    const { rules } = await buildGatewaySchema(features);
    for (const root of ["Query", "Mutation"] as const) {
      const type = bare.getType(root);
      const fields = type && isObjectType(type) ? Object.keys(type.getFields()) : [];
      const ruled = Object.keys(rules[root]);
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

import "reflect-metadata";
import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { features } from "../../src/features/index.js";
import { compiledTypes, compileOrganization } from "../../src/features/organizations/organization-shape.js";
import { buildGatewaySchema } from "../../src/graphql/schema.js";

describe("the organization's SQL shape", () => {
  it("maps every field of the types it compiles, so no selected field is left unbuilt", async () => {
    const { bare } = await buildGatewaySchema(features, { federation: false });
    for (const [name, shape] of Object.entries(compiledTypes)) {
      const type = bare.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      expect(Object.keys(type.getFields()).sort(), name).toEqual(Object.keys(shape.fields).sort());
    }
  });

  it("compiles one text per selection, with the tenant only as a parameter", () => {
    const selection = { name: {}, subscriptions: { id: {} }, entitlements: { code: {} } };
    const first = compileOrganization(selection);
    expect(compileOrganization(selection)).toBe(first);
    expect(first.params).toEqual(["organizationId"]);
    expect(compileOrganization({ name: {} }).text).not.toContain("organization_subscriptions");
  });
});

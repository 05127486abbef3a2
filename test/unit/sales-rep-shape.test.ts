import "reflect-metadata";
import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { features } from "../../src/features/index.js";
import { compileAssignmentList, compiledTypes } from "../../src/features/sales-reps/sales-rep-shape.js";
import { salesRepListSpec } from "../../src/features/sales-reps/sales-rep-list.js";
import { buildGatewaySchema } from "../../src/graphql/schema.js";
import { resolvePage } from "../../src/pagination.js";

describe("the sales-rep list's SQL shape", () => {
  it("maps every field of the types it compiles, so no selected field is left unbuilt", async () => {
    const { bare } = await buildGatewaySchema(features, { federation: false });
    for (const [name, shape] of Object.entries(compiledTypes)) {
      const type = bare.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      expect(Object.keys(type.getFields()).sort(), name).toEqual(Object.keys(shape.fields).sort());
    }
  });

  it("compiles one text per selection and sort, with values only as parameters", () => {
    const selection = { id: {}, salesRep: { assignments: { salesRep: { assignments: { id: {} } } } } };
    const byRepNumber = resolvePage({}, salesRepListSpec).orderBy;
    const first = compileAssignmentList(selection, byRepNumber);
    expect(compileAssignmentList(selection, byRepNumber)).toBe(first);
    expect(first.params).toEqual(["organizationId", "limit", "offset", "callerUserId", "callerClientOrganizationId"]);
    expect(compileAssignmentList(selection, resolvePage({ sortOn: "Email" }, salesRepListSpec).orderBy).text).not.toBe(
      first.text,
    );
    // A nested list under itself reads its rows under aliases of its own.
    const aliases = [...first.text.matchAll(/organization_sales_reps (assignment\d+)/g)].map((match) => match[1]);
    expect(new Set(aliases).size).toBe(2);
  });
});

import "reflect-metadata";
import { eq, sql } from "drizzle-orm";
import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { features } from "../../src/features/index.js";
import { compileAssociationList, compiledTypes } from "../../src/features/customer-associations/association-shape.js";
import { associationListSpec } from "../../src/features/customer-associations/association-list.js";
import { userCustomers } from "../../src/features/customer-associations/customer-associations.tables.js";
import { buildGatewaySchema } from "../../src/graphql/schema.js";
import { filterCondition, resolvePage } from "../../src/pagination.js";

const inOrganization = eq(userCustomers.organizationId, sql.placeholder("organizationId"));
const byUser = resolvePage({}, associationListSpec).orderBy;

describe("the associations list's SQL shape", () => {
  it("maps every field of UserCustomer, so no selected field is left unbuilt", async () => {
    const { bare } = await buildGatewaySchema(features, { federation: false });
    for (const [name, shape] of Object.entries(compiledTypes)) {
      const type = bare.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      expect(Object.keys(type.getFields()).sort(), name).toEqual(Object.keys(shape.fields).sort());
    }
  });

  it("compiles one text per selection, sort and kind of filter, with a request's values only as parameters", () => {
    const selection = { userId: {}, roles: {} };
    const first = compileAssociationList(selection, byUser, inOrganization);
    expect(compileAssociationList(selection, byUser, inOrganization).text).toBe(first.text);
    expect(first.params).toEqual(["organizationId", "limit", "offset"]);
    const filtered = (value: string) =>
      compileAssociationList(
        selection,
        byUser,
        sql`${inOrganization} and ${filterCondition([{ field: "UserId", operator: "contains", value }], associationListSpec)}`,
      );
    expect(filtered("a").text).toBe(filtered("b").text);
    expect(filtered("a").values).toEqual({ condition1: "%a%" });
    expect(filtered("a").text).not.toContain("%a%");
  });
});

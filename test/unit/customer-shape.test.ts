import "reflect-metadata";
import { eq, sql } from "drizzle-orm";
import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { features } from "../../src/features/index.js";
import {
  carriedFields,
  compileCustomerList,
  customerShape,
  uncompiledFields,
} from "../../src/features/customers/customer-shape.js";
import { customerListSpec } from "../../src/features/customers/customer-list.js";
import { customers } from "../../src/features/customers/customers.tables.js";
import { buildGatewaySchema } from "../../src/graphql/schema.js";
import { filterCondition, resolvePage } from "../../src/pagination.js";

const inOrganization = eq(customers.organizationId, sql.placeholder("organizationId"));
const byNumber = resolvePage({}, customerListSpec).orderBy;

describe("the customer list's SQL shape", () => {
  it("maps every field of Customer but the relations left to their field resolvers", async () => {
    const { bare } = await buildGatewaySchema(features, { federation: false });
    const type = bare.getType("Customer");
    if (!isObjectType(type)) throw new Error("Customer is not an object type");
    const compiled = Object.keys(customerShape.fields).filter(
      (name) => !(carriedFields as readonly string[]).includes(name),
    );
    expect(Object.keys(type.getFields()).sort()).toEqual([...compiled, ...uncompiledFields].sort());
  });

  it("compiles one text per selection, sort and rule, with a request's values only as parameters", () => {
    const selection = { id: {}, pricing: {}, parentCustomerNumber: {} };
    const rules = { where: inOrganization, visible: null };
    const first = compileCustomerList(selection, byNumber, rules);
    expect(compileCustomerList(selection, byNumber, rules).text).toBe(first.text);
    expect(first.params).toEqual(["organizationId", "limit", "offset"]);
    expect(
      compileCustomerList(selection, resolvePage({ sortOn: "RepNumber" }, customerListSpec).orderBy, rules).text,
    ).not.toBe(first.text);

    const filtered = (value: string) =>
      compileCustomerList(selection, byNumber, {
        where: sql`${inOrganization} and ${filterCondition([{ field: "companyName", operator: "contains", value }], customerListSpec)}`,
        visible: null,
      });
    const [east, west] = [filtered("East"), filtered("West")];
    expect(west.text).toBe(east.text);
    expect(west.text).not.toContain("West");
    expect(west.values).toEqual({ condition1: "%West%" });
  });

  it("gives a cached statement's visibility rule its values again on every request", () => {
    const selection = { parentCustomerNumber: {} };
    const rules = (userId: string) => ({
      where: inOrganization,
      visible: sql`${customers.repNumber} = ${userId}`,
    });
    const first = compileCustomerList(selection, byNumber, rules("u-1"));
    const again = compileCustomerList(selection, byNumber, rules("u-2"));
    expect(again.text).toBe(first.text);
    expect(Object.values(again.values)).toEqual(["u-2"]);
    expect(again.params).toContain(Object.keys(again.values)[0]);
    // Not selected, the rule is not in the statement, and no value of it is a parameter.
    const bare = compileCustomerList({ id: {} }, byNumber, rules("u-3"));
    expect(bare.values).toEqual({});
    expect(bare.params).toEqual(["organizationId", "limit", "offset"]);
  });
});

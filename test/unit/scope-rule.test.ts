import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadInputError } from "../../src/errors.js";
import {
  checkScopeRule,
  scopeRuleLimits,
  scopeRuleMatches,
  type ScopeRule,
  type ScopeRuleInput,
} from "../../src/features/sales-reps/scope-rule.js";
import { InputCheck } from "../../src/validation.js";

/** The checked rule, or the field errors of the one 400 it would be refused with. */
function checked(input: ScopeRuleInput | null | undefined): { rule?: ScopeRule; errors?: Record<string, string> } {
  const check = new InputCheck();
  const rule = checkScopeRule(check, "scope", input);
  try {
    check.done();
    return { rule };
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return { errors: (error as BadInputError).details.errors as Record<string, string> };
  }
}

describe("checkScopeRule", () => {
  it("keeps attribute and customer-number clauses, trimmed, numbers de-duplicated", () => {
    expect(
      checked({
        any: [
          { attribute: " territory ", equals: "Northeast " },
          { customerNumbers: ["C-1", " C-2", "C-1"] },
          { attribute: "tier", equals: "gold", customerNumbers: null },
        ],
      }).rule,
    ).toEqual({
      any: [
        { attribute: "territory", equals: "Northeast" },
        { customerNumbers: ["C-1", "C-2"] },
        { attribute: "tier", equals: "gold" },
      ],
    });
  });

  it("refuses a missing or empty rule", () => {
    expect(checked(undefined).errors).toEqual({ "scope.any": "must hold at least one clause" });
    expect(checked({ any: [] }).errors).toEqual({ "scope.any": "must hold at least one clause" });
  });

  it("refuses a clause of no kind, of two kinds, or with a part missing, naming each", () => {
    expect(
      checked({
        any: [{}, { attribute: "territory", customerNumbers: ["C-1"] }, { attribute: "territory" }, { equals: "x" }],
      }).errors,
    ).toEqual({
      "scope.any[0]":
        "must be an attribute clause (attribute, equals) or a customerNumbers clause or a descendantsOf clause",
      "scope.any[1]":
        "must be an attribute clause (attribute, equals) or a customerNumbers clause or a descendantsOf clause, not both",
      "scope.any[2].equals": "is required",
      "scope.any[3].attribute": "is required",
    });
  });

  it("refuses empty lists, blank numbers and text over the limits", () => {
    expect(
      checked({
        any: [
          { customerNumbers: [] },
          { customerNumbers: ["C-1", " "] },
          { attribute: "a".repeat(scopeRuleLimits.attribute + 1), equals: "x" },
        ],
      }).errors,
    ).toEqual({
      "scope.any[0].customerNumbers": "must list at least one customer number",
      "scope.any[1].customerNumbers[1]": "is required",
      "scope.any[2].attribute": `must be at most ${scopeRuleLimits.attribute} characters`,
    });
    const many = Array.from({ length: scopeRuleLimits.clauses + 1 }, () => ({ customerNumbers: ["C"] }));
    expect(checked({ any: many }).errors?.["scope.any"]).toMatch(/at most 50/);
    const numbers = Array.from({ length: scopeRuleLimits.customerNumbers + 1 }, (_, i) => `C-${i}`);
    expect(checked({ any: [{ customerNumbers: numbers }] }).errors?.["scope.any[0].customerNumbers"]).toMatch(
      /at most 1000/,
    );
  });
});

/** The compiled condition, run by PostgreSQL (in-process PGlite) over a few customers. */
describe("scopeRuleMatches", () => {
  // Named and shaped as the real table where the descendantsOf clause walks the tree.
  const people = pgTable("customers", {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull(),
    number: text("customer_number").notNull(),
    attributes: jsonb("attributes"),
  });
  const rules = pgTable("rules", { scope: jsonb("scope").notNull() });
  let pglite: PGlite;
  let db: ReturnType<typeof drizzle>;

  beforeAll(async () => {
    pglite = await PGlite.create();
    db = drizzle(pglite);
    await pglite.exec(`
      create table customers (id text primary key, organization_id text not null, customer_number text not null,
        parent_id text, attributes jsonb);
      create table rules (scope jsonb not null);
      insert into customers values
        ('1', 'o', 'C-1', null, '{"territory": "Northeast", "size": 5}'),
        ('2', 'o', 'C-2', null, '{"territory": "West"}'),
        ('3', 'o', 'C-3', null, null),
        ('4', 'o', 'C-4', '1', '{"territory": {"nested": "Northeast"}, "vip": true}'),
        ('5', 'o', 'C-5', '4', null),
        ('6', 'other', 'C-6', '1', null);
    `);
  });
  afterAll(() => pglite?.close());

  async function selected(rule: ScopeRule): Promise<string[]> {
    await db.delete(rules);
    await db.insert(rules).values({ scope: rule });
    const rows = await db
      .select({ number: people.number })
      .from(people)
      .where(
        sql`exists (select 1 from ${rules} where ${scopeRuleMatches(rules.scope, {
          id: people.id,
          organizationId: people.organizationId,
          customerNumber: people.number,
          attributes: people.attributes,
        })})`,
      )
      .orderBy(people.number);
    return rows.map((row) => row.number);
  }

  it("selects customers whose attribute equals the value, compared as text", async () => {
    expect(await selected({ any: [{ attribute: "territory", equals: "Northeast" }] })).toEqual(["C-1"]);
    expect(await selected({ any: [{ attribute: "size", equals: "5" }] })).toEqual(["C-1"]);
    expect(await selected({ any: [{ attribute: "vip", equals: "true" }] })).toEqual(["C-4"]);
    expect(await selected({ any: [{ attribute: "territory", equals: "northeast" }] })).toEqual([]);
  });

  it("selects listed customer numbers, and the union of several clauses", async () => {
    expect(await selected({ any: [{ customerNumbers: ["C-3", "C-9"] }] })).toEqual(["C-3"]);
    expect(
      await selected({
        any: [{ attribute: "territory", equals: "West" }, { customerNumbers: ["C-3"] }],
      }),
    ).toEqual(["C-2", "C-3"]);
  });

  it("selects a customer and every customer below it in its organization with descendantsOf", async () => {
    expect(await selected({ any: [{ descendantsOf: "C-1" }] })).toEqual(["C-1", "C-4", "C-5"]);
    expect(await selected({ any: [{ descendantsOf: "C-4" }] })).toEqual(["C-4", "C-5"]);
    expect(await selected({ any: [{ descendantsOf: "C-9" }] })).toEqual([]);
  });

  it("selects nobody for an attribute no customer has", async () => {
    expect(await selected({ any: [{ attribute: "region", equals: "Northeast" }] })).toEqual([]);
  });
});

import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { InputCheck } from "../../validation.js";
import { ancestorsSql } from "../customers/customer-tree.js";

/** A customer whose attribute (a key of its customerAttributes) has this value, compared as text. */
export interface AttributeClause {
  attribute: string;
  equals: string;
}

/** Customers listed by number; a number need not exist yet, so a rule may name customers to come. */
export interface CustomerNumbersClause {
  customerNumbers: string[];
}

/** A customer by number and every customer below it; the number need not exist yet either. */
export interface DescendantsOfClause {
  descendantsOf: string;
}

export type ScopeClause = AttributeClause | CustomerNumbersClause | DescendantsOfClause;

/** A sales-rep role's customers: those matching any clause. Stored as jsonb in this shape. */
export interface ScopeRule {
  any: ScopeClause[];
}

/** A rule as a client sends it: GraphQL's input types give every part as optional. */
export interface ScopeClauseInput {
  attribute?: string | null;
  equals?: string | null;
  customerNumbers?: (string | null)[] | null;
  descendantsOf?: string | null;
}

export interface ScopeRuleInput {
  any?: (ScopeClauseInput | null)[] | null;
}

export const scopeRuleLimits = { clauses: 50, customerNumbers: 1000, attribute: 100, value: 200, customerNumber: 100 };

/** The columns of a customer row a rule reads. */
export interface CustomerColumns {
  id: AnyColumn;
  organizationId: AnyColumn;
  customerNumber: AnyColumn;
  attributes: AnyColumn;
}

/**
 * One kind of clause: when an input clause is of this kind, how it is checked, and the SQL that
 * matches a customer against a stored clause (`scope_clause.value`). A new kind is one more entry.
 */
interface ClauseKind {
  name: string;
  fields: readonly (keyof ScopeClauseInput)[];
  check: (check: InputCheck, path: string, input: ScopeClauseInput) => ScopeClause;
  matches: (customer: CustomerColumns) => SQL;
}

const clause = sql.raw("scope_clause.value");

const clauseKinds: readonly ClauseKind[] = [
  {
    name: "an attribute clause (attribute, equals)",
    fields: ["attribute", "equals"],
    check: (check, path, input) => ({
      attribute: check.text(`${path}.attribute`, input.attribute, { max: scopeRuleLimits.attribute }),
      equals: check.text(`${path}.equals`, input.equals, { max: scopeRuleLimits.value }),
    }),
    matches: ({ attributes }) => sql`(${attributes} ->> (${clause} ->> 'attribute')) = (${clause} ->> 'equals')`,
  },
  {
    name: "a customerNumbers clause",
    fields: ["customerNumbers"],
    check: (check, path, input) => {
      const field = `${path}.customerNumbers`;
      const given = input.customerNumbers ?? [];
      if (given.length === 0) check.fail(field, "must list at least one customer number");
      if (given.length > scopeRuleLimits.customerNumbers) {
        check.fail(
          field,
          `lists ${given.length} customer numbers; at most ${scopeRuleLimits.customerNumbers} are allowed`,
        );
        return { customerNumbers: [] };
      }
      const numbers = given.map((number, index) =>
        check.text(`${field}[${index}]`, number, { max: scopeRuleLimits.customerNumber }),
      );
      return { customerNumbers: [...new Set(numbers)] };
    },
    // A jsonb array contains a string when one of its elements is that string.
    matches: ({ customerNumber }) => sql`(${clause} -> 'customerNumbers') @> to_jsonb(${customerNumber}::text)`,
  },
  {
    name: "a descendantsOf clause",
    fields: ["descendantsOf"],
    check: (check, path, input) => ({
      descendantsOf: check.text(`${path}.descendantsOf`, input.descendantsOf, { max: scopeRuleLimits.customerNumber }),
    }),
    // Matched per customer by walking up (at most the tree's depth) rather than down from the named one.
    matches: ({ id, organizationId, customerNumber }) => sql`(${clause} ->> 'descendantsOf') is not null and (
      ${customerNumber} = (${clause} ->> 'descendantsOf') or exists (
        select 1 from ${ancestorsSql(sql`${organizationId}`, sql`${id}`)} up
        join customers ancestor on ancestor.organization_id = ${organizationId} and ancestor.id = up.id
        where ancestor.customer_number = (${clause} ->> 'descendantsOf')))`,
  },
];

const isGiven = (value: unknown) => value !== undefined && value !== null;

/** Checks a rule into its stored shape; every problem goes to `check`, under `field`. */
export function checkScopeRule(check: InputCheck, field: string, input: ScopeRuleInput | null | undefined): ScopeRule {
  const clauses = input?.any ?? [];
  if (clauses.length === 0) {
    check.fail(`${field}.any`, "must hold at least one clause");
    return { any: [] };
  }
  if (clauses.length > scopeRuleLimits.clauses) {
    check.fail(`${field}.any`, `holds ${clauses.length} clauses; at most ${scopeRuleLimits.clauses} are allowed`);
    return { any: [] };
  }
  const checked = clauses.map((given, index) => {
    const path = `${field}.any[${index}]`;
    const kinds = clauseKinds.filter((kind) => kind.fields.some((name) => isGiven(given?.[name])));
    if (kinds.length !== 1) {
      const choices = clauseKinds.map((kind) => kind.name).join(" or ");
      check.fail(path, kinds.length === 0 ? `must be ${choices}` : `must be ${choices}, not both`);
      return undefined;
    }
    return kinds[0]!.check(check, path, given!);
  });
  return { any: checked.filter((found): found is ScopeClause => found !== undefined) };
}

/**
 * One SQL condition on a customer row: true when the stored rule `rule` (a jsonb column or
 * expression) selects it. The rule is read where it is stored, in the statement that uses it,
 * so a change to a role applies to every rep holding it on its next request.
 */
export function scopeRuleMatches(rule: AnyColumn | SQL, customer: CustomerColumns): SQL {
  const matches = sql.join(
    clauseKinds.map((kind) => sql`(${kind.matches(customer)})`),
    sql` or `,
  );
  return sql`exists (select 1 from jsonb_array_elements(${rule} -> 'any') as scope_clause(value) where ${matches})`;
}

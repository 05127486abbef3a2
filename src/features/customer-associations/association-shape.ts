import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { Compilation, jsonObject, value, type Selection, type Shape } from "../../db/json-select.js";

/**
 * The UserCustomer type of the associations list as SQL, declared once: each field and the column
 * it is built from, read from the association and its customer (scope by its internal name).
 */

/** Aliases of the association and its customer. */
interface AssociationScope {
  a: string;
  c: string;
}

const associationShape: Shape<AssociationScope> = {
  fields: {
    userId: value((s) => `${s.a}.user_id`),
    customerNumber: value((s) => `${s.c}.customer_number`),
    organizationId: value((s) => `${s.a}.organization_id`),
    roles: value((s) => `${s.a}.role_keys`),
    scope: value((s) => `${s.a}.scope`),
  },
};

/** The mapped fields of each type, for the check that the mapping covers the schema. */
export const compiledTypes = { UserCustomer: associationShape };

export interface CompiledAssociationList {
  text: string;
  params: readonly string[];
  /** The values of the request's own conditions (its filters), by parameter name. */
  values: Record<string, unknown>;
}

const dialect = new PgDialect();
const compiled = new WeakMap<Selection, Map<string, Omit<CompiledAssociationList, "values">>>();

/** Statements kept per selection: one per sort and kind of filter a client uses, not per whim. */
const maxRuleTexts = 64;

/**
 * One statement for a page of associations with every selected field: the page and its total
 * (`count(*) over ()`), then each association as one JSON document. `where` (on `user_customers`
 * and `customers`, unaliased) must confine the rows to one organization; it is rendered on every
 * request (its filters' values are parameters), the statement built once per selection, sort and
 * its text.
 */
export function compileAssociationList(selection: Selection, orderBy: SQL[], where: SQL): CompiledAssociationList {
  const order = orderBy.map((part) => dialect.sqlToQuery(part).sql).join(", ");
  const c = new Compilation();
  const condition = c.condition(where);
  const key = `${order}\n${condition}\n${c.params.join(",")}`;
  let bySort = compiled.get(selection);
  if (!bySort) {
    bySort = new Map();
    compiled.set(selection, bySort);
  }
  let found = bySort.get(key);
  if (!found) {
    const limit = c.param("limit");
    const offset = c.param("offset");
    const item = jsonObject(associationShape, selection, { a: "a", c: "c" }, c);
    const text = `with page as (
  select user_customers.id, count(*) over () as total, row_number() over (order by ${order}) as position
  from user_customers
  join customers on customers.id = user_customers.customer_id and customers.organization_id = user_customers.organization_id
  where ${condition}
  order by ${order} limit ${limit} offset ${offset}
)
select page.total::int, ${item}::text
from page
join user_customers a on a.id = page.id
join customers c on c.id = a.customer_id and c.organization_id = a.organization_id
order by page.position`;
    found = { text, params: c.params };
    if (bySort.size < maxRuleTexts) bySort.set(key, found);
  }
  return { ...found, values: c.values };
}

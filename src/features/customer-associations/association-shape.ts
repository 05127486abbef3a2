import type { SQL } from "drizzle-orm";
import {
  Compilation,
  CompiledTexts,
  jsonObject,
  pageText,
  sqlText,
  value,
  type Selection,
  type Shape,
} from "../../db/json-select.js";

/**
 * The UserCustomer type as SQL, declared once for every read of associations (the list, one
 * user's, a mutation's answer): each field and the column it is built from, read from the
 * association and its customer (scope by its internal name).
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

/** Every field, for an answer no selection asks for (a mutation's). */
export const everyAssociationField: Selection = Object.fromEntries(
  Object.keys(associationShape.fields).map((name) => [name, {}]),
);

export interface CompiledAssociations {
  text: string;
  params: readonly string[];
  /** The values of the request's own conditions (its rule's and filters'), by parameter name. */
  values: Record<string, unknown>;
}

/** One statement per selection, sort and kind of rule or filter a client uses. */
const compiled = new CompiledTexts<Omit<CompiledAssociations, "values">>();

/** The associations `where` holds (on `user_customers` and `customers`, unaliased), with their customers. */
const rows = (condition: string) => `from user_customers
  join customers on customers.id = user_customers.customer_id and customers.organization_id = user_customers.organization_id
  where ${condition}`;

/**
 * A statement built once per selection, order, paging and the rule's text: `where` is rendered on
 * every request (its values are parameters), so one document with one kind of rule reuses one.
 */
function compileAssociations(selection: Selection, orderBy: SQL[], where: SQL, paged: boolean): CompiledAssociations {
  const order = sqlText(orderBy);
  const c = new Compilation();
  const condition = c.condition(where);
  const key = `${paged}\n${order}\n${condition}\n${c.params.join(",")}`;
  let found = compiled.find(selection, key);
  if (!found) {
    let text: string;
    if (paged) {
      const limit = c.param("limit");
      const offset = c.param("offset");
      const item = jsonObject(associationShape, selection, { a: "a", c: "c" }, c);
      text = pageText({
        table: "user_customers",
        rows: rows(condition),
        order,
        limit,
        offset,
        item,
        join: `join user_customers a on a.organization_id = page.organization_id and a.id = page.id
join customers c on c.id = a.customer_id and c.organization_id = a.organization_id`,
      });
    } else {
      const item = jsonObject(associationShape, selection, { a: "user_customers", c: "customers" }, c);
      text = `select ${item}::text ${rows(condition)} order by ${order}`;
    }
    found = compiled.keep(selection, key, { text, params: c.params });
  }
  return { ...found, values: c.values };
}

/**
 * One statement for a page of associations with every selected field: the page and its total
 * (`count(*) over ()`), then each association as one JSON document. `where` must confine the rows
 * to one organization.
 */
export function compileAssociationList(selection: Selection, orderBy: SQL[], where: SQL): CompiledAssociations {
  return compileAssociations(selection, orderBy, where, true);
}

/** One statement for every association `where` holds, in `orderBy`'s order, each as one JSON document. */
export function compileAssociationRows(selection: Selection, orderBy: SQL[], where: SQL): CompiledAssociations {
  return compileAssociations(selection, orderBy, where, false);
}

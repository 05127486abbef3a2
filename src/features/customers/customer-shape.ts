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
import type { CustomerRow } from "./customers.tables.js";

/**
 * The Customer type as SQL, declared once: each field the customers lists compile and the column
 * or expression it is built from, with the values the field resolvers would return. `parent`,
 * `children` and `ancestors` are not compiled: they are customers of their own, each with its
 * visibility, paging and tree walk; nor is `addresses` (customer-addresses), which checks its
 * reader per customer. They keep their field resolvers, which read the always built `id` and
 * `customerNumber` and the carried `organizationId` and `parentId` of a compiled customer.
 */

/** The alias of the customer a field reads, and what the caller may see of the organization's customers. */
interface CustomerScope {
  c: string;
  /** A condition on `customers` (unaliased), or null for the whole organization; rendered when first read. */
  visible: () => string | null;
}

/** Fields a compiled customer carries for its uncompiled field resolvers; not GraphQL fields. */
export const carriedFields = ["organizationId", "parentId"] as const;

/** Customer's fields left to their field resolvers. */
export const uncompiledFields = ["parent", "children", "ancestors", "addresses"] as const;

/**
 * A customer as a compiled list answers it. It holds only the selected fields and those always
 * built, typed as a row because the resolvers of Customer read no other.
 */
export type CompiledCustomer = CustomerRow & {
  pricing?: string | null;
  currencyCode?: string | null;
  parentCustomerNumber?: string | null;
};

const column = (name: string) => value<CustomerScope>((s) => `${s.c}.${name}`);

/** The customer's own tier; tiers are the organization's, as the tier loader reads them. */
const tier = (name: string) =>
  value<CustomerScope>((s, c) => {
    const t = c.alias("tier");
    return `(select ${t}.${name} from price_tiers ${t} where ${t}.id = ${s.c}.price_tier_id and ${t}.organization_id = ${s.c}.organization_id)`;
  });

export const customerShape: Shape<CustomerScope> = {
  always: ["id", "customerNumber", ...carriedFields],
  fields: {
    id: column("id"),
    organizationId: column("organization_id"),
    parentId: column("parent_id"),
    customerNumber: column("customer_number"),
    companyName: column("company_name"),
    companyEmail: column("company_email"),
    companyPhone: column("company_phone"),
    companyFax: column("company_fax"),
    active: column("active"),
    repNumber: column("rep_number"),
    terms: column("terms"),
    externalId: column("external_id"),
    customerAttributes: column("customer_attributes"),
    paymentTermsCode: column("payment_terms_code"),
    netDays: column("net_days"),
    creditLimit: column("credit_limit"),
    creditCurrency: column("credit_currency"),
    creditHold: column("credit_hold"),
    availableCredit: column("available_credit"),
    pricing: tier("name"),
    currencyCode: tier("currency_code"),
    // The parent's number only when the caller may see the parent, as the parent field would show it.
    parentCustomerNumber: value((s, c) => {
      const p = c.alias("parent");
      const rule = s.visible();
      const visible = rule
        ? ` and (${p}.organization_id, ${p}.id) in (select customers.organization_id, customers.id from customers where ${rule})`
        : "";
      return `(select ${p}.customer_number from customers ${p}
        where ${p}.id = ${s.c}.parent_id and ${p}.organization_id = ${s.c}.organization_id${visible})`;
    }),
  },
};

export interface CompiledCustomerList {
  text: string;
  params: readonly string[];
  /** The values of the request's own conditions (its filters), by parameter name. */
  values: Record<string, unknown>;
}

/** Which customers a list holds and which the caller may see elsewhere (the parent's number). */
export interface CustomerListRules {
  /** The list's rows: confined to one organization, with the request's filters. */
  where: SQL;
  /** What the caller may see of the organization's customers; null for all of them. */
  visible: SQL | null;
}

interface Built {
  text: string;
  params: readonly string[];
  /** Whether the text holds `visible`, whose values each request then gives again. */
  readsVisible: boolean;
}

/** One statement per selection, sort and kind of filter a client uses. */
const compiled = new CompiledTexts<Built>();

/**
 * One statement for a page of customers with every selected field: the page and its total
 * (`count(*) over ()`), then each row as one JSON document. The rules are rendered on every
 * request (their filters' values are parameters); the statement is built once per selection,
 * sort and rules' text, so one document with one kind of filter reuses one prepared statement.
 */
export function compileCustomerList(
  selection: Selection,
  orderBy: SQL[],
  rules: CustomerListRules,
): CompiledCustomerList {
  const order = sqlText(orderBy);
  const c = new Compilation();
  const where = c.condition(rules.where);
  const visibleText = rules.visible ? sqlText([rules.visible]) : "";
  const key = `${order}\n${where}\n${c.params.join(",")}\n${visibleText}`;
  let found = compiled.find(selection, key);
  if (found) {
    // Rendered in the same order as when built, its values get the same parameter names.
    if (found.readsVisible && rules.visible) c.condition(rules.visible);
  } else {
    const limit = c.param("limit");
    const offset = c.param("offset");
    let visible: string | undefined;
    const scope = {
      c: "c",
      visible: () => (rules.visible ? (visible ??= c.condition(rules.visible)) : null),
    };
    const item = jsonObject(customerShape, selection, scope, c);
    const text = pageText({
      table: "customers",
      rows: `from customers where ${where}`,
      order,
      limit,
      offset,
      item,
      join: "join customers c on c.organization_id = page.organization_id and c.id = page.id",
    });
    found = compiled.keep(selection, key, { text, params: c.params, readsVisible: visible !== undefined });
  }
  return { text: found.text, params: found.params, values: c.values };
}

import { createHash } from "node:crypto";
import { CasingCache } from "drizzle-orm/casing";
import { is, Param, Placeholder, sql, type SQL } from "drizzle-orm";
import { PgDialect, type PgPreparedQuery, type PreparedQueryConfig } from "drizzle-orm/pg-core";
import type { Executor } from "./client.js";

/**
 * Compiling a selection into SQL that builds the answer as JSON: a type's shape maps each of its
 * fields to the SQL that computes it (a column, an expression, a nested object or list), and only
 * the fields a request selects are built. The text depends only on the selection, never on values,
 * which are numbered parameters, so one compiled statement serves every request of a document.
 */

/** The fields selected below one field, by name (the structure of graphql/selection.ts's tree). */
export interface Selection {
  [field: string]: Selection;
}

const dialect = new PgDialect();
// The tables' names are written as declared: no casing is configured.
const casing = new CasingCache();

/** The state of one compilation: numbered parameters by name, and fresh table aliases. */
export class Compilation {
  readonly params: string[] = [];
  /** The values of the parameters `condition` numbered, by their names. */
  readonly values: Record<string, unknown> = {};
  private aliases = 0;
  private conditions = 0;

  /** `$n` for a named value; the same name is the same parameter. */
  param(name: string): string {
    let index = this.params.indexOf(name);
    if (index < 0) index = this.params.push(name) - 1;
    return `$${index + 1}`;
  }

  /**
   * A drizzle condition (a feature's own rule, such as a tenant's reach) as text of this statement.
   * Its placeholders become the parameters of their names, so the text depends on the rule alone;
   * its other values (filters a request gives) become parameters of their own, valued in `values`.
   */
  condition(fragment: SQL): string {
    return fragment.toQuery({
      casing,
      escapeName: (name) => dialect.escapeName(name),
      escapeString: (text) => dialect.escapeString(text),
      escapeParam: (_index, given: unknown) => {
        const bound = is(given, Param) ? given.value : given;
        if (is(bound, Placeholder)) return this.param(bound.name);
        const name = `condition${++this.conditions}`;
        this.values[name] = bound;
        return this.param(name);
      },
    }).sql;
  }

  /** A table alias used nowhere else in the statement: shapes nest, even in themselves. */
  alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }
}

/** How one field is computed, given the aliases of the tables its type reads (its scope). */
export type FieldSql<S> = (scope: S, selection: Selection, compilation: Compilation) => string;

/** A type's fields; `always` are built whatever is selected (what field resolvers read). */
export interface Shape<S> {
  fields: Record<string, FieldSql<S>>;
  always?: readonly string[];
}

/** A timestamp as the Date scalar serializes a Date: ISO 8601 in UTC, with milliseconds. */
export const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const value =
  <S>(expression: (scope: S, compilation: Compilation) => string): FieldSql<S> =>
  (scope, _selection, compilation) =>
    expression(scope, compilation);

/** A nested object over the same rows; null where `nullWhen` holds. */
export const object =
  <S, T>(shape: Shape<T>, scopeOf: (scope: S) => T, nullWhen?: (scope: S) => string): FieldSql<S> =>
  (scope, selection, compilation) => {
    const built = jsonObject(shape, selection, scopeOf(scope), compilation);
    return nullWhen ? `case when ${nullWhen(scope)} then null else ${built} end` : built;
  };

/** A nested list: `source` names the rows (`from … where …`), their scope and their order. */
export const list =
  <S, T>(
    shape: Shape<T>,
    source: (scope: S, compilation: Compilation) => { scope: T; from: string; orderBy: string },
  ): FieldSql<S> =>
  (scope, selection, compilation) => {
    const rows = source(scope, compilation);
    const built = jsonObject(shape, selection, rows.scope, compilation);
    return `(select coalesce(json_agg(${built} order by ${rows.orderBy}), '[]'::json) ${rows.from})`;
  };

/**
 * `json_build_object` of the selected fields a shape maps, plus its `always` fields. A selected
 * field the shape does not map is left to its field resolver.
 */
export function jsonObject<S>(shape: Shape<S>, selection: Selection, scope: S, compilation: Compilation): string {
  const names = [...new Set([...(shape.always ?? []), ...Object.keys(selection)])].filter((name) => shape.fields[name]);
  // Field names are the schema's own (GraphQL names are [_A-Za-z0-9]), never input, so they are literals.
  const pairs = names.map((name) => `'${name}', ${shape.fields[name]!(scope, selection[name] ?? {}, compilation)}`);
  return `json_build_object(${pairs.join(", ")})`;
}

/** SQL fragments (a list's sort) as one text, without parameters: `a asc, b desc`. */
export function sqlText(parts: SQL[]): string {
  return parts.map((part) => dialect.sqlToQuery(part).sql).join(", ");
}

/**
 * Compiled statements by selection (one per document, kept while its document is) and by a key of
 * whatever else shapes their text: the sort, the rules' text. Past `maxPerSelection` keys a
 * selection's new texts are built per request and not kept, so a client varying its filters
 * cannot grow it without bound.
 */
export class CompiledTexts<T> {
  private readonly bySelection = new WeakMap<Selection, Map<string, T>>();

  constructor(private readonly maxPerSelection = 64) {}

  find(selection: Selection, key: string): T | undefined {
    return this.bySelection.get(selection)?.get(key);
  }

  keep(selection: Selection, key: string, built: T): T {
    let byKey = this.bySelection.get(selection);
    if (!byKey) {
      byKey = new Map();
      this.bySelection.set(selection, byKey);
    }
    if (byKey.size < this.maxPerSelection) byKey.set(key, built);
    return built;
  }
}

/**
 * The text of a page of a list and its total: `rows` is the list's `from … where …` over its
 * tables under their own names (as its sort and filters name them), `table` the tenant table it
 * pages; each row of the page is then built by `item` over `join`, which reads the row
 * `page.organization_id` and `page.id` name: its whole key, as a table distributed by
 * organization joins (docs/operations.md).
 */
export function pageText(page: {
  table: string;
  rows: string;
  order: string;
  limit: string;
  offset: string;
  item: string;
  join: string;
}): string {
  return `with page as (
  select ${page.table}.organization_id, ${page.table}.id, count(*) over () as total, row_number() over (order by ${page.order}) as position
  ${page.rows}
  order by ${page.order} limit ${page.limit} offset ${page.offset}
)
select page.total::int, ${page.item}::text
from page
${page.join}
order by page.position`;
}

/** Rows of a compiled statement, as arrays of column values. */
type Prepared = PgPreparedQuery<PreparedQueryConfig & { execute: unknown[][] }>;

const prepared = new WeakMap<Executor, Map<string, Prepared>>();

/**
 * Texts kept as named statements per database. A request can vary a text (a list's filters), so
 * past this many a new text runs unnamed, parsed per request, and neither this process nor each
 * connection of PostgreSQL holds statements without bound.
 */
export const maxPreparedTexts = 500;

/**
 * Runs compiled text as a named prepared statement: PostgreSQL parses and plans it once per
 * connection, not per request. Values are given by the names the compilation numbered. In a
 * transaction (`db` a transaction) it runs on the transaction's connection.
 */
export async function runCompiled(
  db: Executor,
  text: string,
  params: readonly string[],
  values: Record<string, unknown>,
): Promise<unknown[][]> {
  let byText = prepared.get(db);
  if (!byText) {
    byText = new Map();
    prepared.set(db, byText);
  }
  let query = byText.get(text);
  if (!query) {
    const kept = byText.size < maxPreparedTexts;
    const name = kept ? `compiled_${createHash("sha1").update(text).digest("hex").slice(0, 20)}` : undefined;
    query = db._.session.prepareQuery<PreparedQueryConfig & { execute: unknown[][] }>(
      { sql: text, params: params.map((param) => sql.placeholder(param)) },
      undefined,
      name,
      true,
      (rows) => rows,
    );
    if (kept) byText.set(text, query);
  }
  return query.execute(values);
}

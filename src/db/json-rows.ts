import { getTableColumns, getTableName, sql, type Column, type SQL, type Table } from "drizzle-orm";

/**
 * A column with its table's name. Drizzle leaves column names bare in a select from one table,
 * which is ambiguous inside a subquery that reads another table with the same column names.
 */
export function qualified(column: Column): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

/**
 * A table's row as one JSON object keyed by the columns' TypeScript names. Nested data read this
 * way (json_agg of rows in a subquery) reaches Node as one JSON document per row, which parses
 * far faster than the same data as many columns and rows.
 */
export function jsonRow(table: Table): SQL {
  // Keys are the schema's own property names, never input, so they are written as literals.
  const pairs = Object.entries(getTableColumns(table)).map(
    ([key, column]) => sql`${sql.raw(`'${key}'`)}, ${qualified(column)}`,
  );
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

const dateKeys = new WeakMap<Table, string[]>();

/**
 * A row read through `jsonRow`: timestamps arrive as ISO strings and become Dates again. The
 * object is one JSON.parse just made, so it is converted in place.
 */
export function fromJsonRow<T extends Table>(table: T, value: Record<string, unknown>): T["$inferSelect"] {
  let keys = dateKeys.get(table);
  if (!keys) {
    keys = Object.entries(getTableColumns(table))
      .filter(([, column]) => column.dataType === "date")
      .map(([key]) => key);
    dateKeys.set(table, keys);
  }
  for (const key of keys) {
    const text = value[key];
    if (typeof text === "string") value[key] = new Date(text);
  }
  return value as T["$inferSelect"];
}

import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "./client.js";

/**
 * Inserts many rows in one statement with one parameter, a JSON array read by `jsonb_to_recordset`,
 * updating the row on a conflict with every written column but the key. Building a multi-row
 * VALUES list costs the query builder a few objects per value, a second for a batch of thousands of
 * rows; one JSON document costs PostgreSQL almost nothing to read. Rows are keyed by the table's
 * property names and all carry the same keys; `createdAt` and `updatedAt` are the database's.
 * `returning` columns come back keyed by their column names, as the driver parsed them.
 */
export async function upsertRowsAsJson(
  tx: Executor,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
  conflict: readonly PgColumn[],
  returning: readonly PgColumn[] = [],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  // The database keeps its own bookkeeping times: a new row's defaults, an updated row's now().
  const keys = Object.keys(rows[0]!).filter((key) => key in columns && key !== "createdAt" && key !== "updatedAt");
  const written = keys.map((key) => columns[key]!);
  const names = sql.join(
    written.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const record = sql.join(
    written.map((column) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`),
    sql`, `,
  );
  const conflictNames = new Set(conflict.map((column) => column.name));
  const updates = written
    .filter((column) => !conflictNames.has(column.name) && column.name !== "id")
    .map((column) => sql`${sql.identifier(column.name)} = excluded.${sql.identifier(column.name)}`);
  if ("updatedAt" in columns) updates.push(sql`${sql.identifier(columns.updatedAt!.name)} = now()`);
  const json = JSON.stringify(
    rows.map((row) => Object.fromEntries(written.map((column, i) => [column.name, row[keys[i]!] ?? null]))),
  );
  const answer = returning.length
    ? sql` returning ${sql.join(
        returning.map((column) => sql.identifier(column.name)),
        sql`, `,
      )}`
    : sql``;
  const result = await tx.execute(sql`insert into ${sql.identifier(getTableName(table))} (${names})
    select ${names} from jsonb_to_recordset(${json}::jsonb) as r(${record})
    on conflict (${sql.join(
      conflict.map((column) => sql.identifier(column.name)),
      sql`, `,
    )}) do update set ${sql.join(updates, sql`, `)}${answer}`);
  // postgres.js answers an array of rows, PGlite an object holding them.
  return Array.isArray(result) ? result : ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
}

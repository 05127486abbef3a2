import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";

/** Rows of a raw query on either driver (postgres.js answers an array, PGlite `{ rows }`). */
export async function rows<T = Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/**
 * Everything one organization owns, as comparable text: its own row, every row of every table
 * with an `organization_id` column (found in the catalog, so a new tenant table is covered
 * without editing this), and the accounts of its members and reps.
 */
export async function tenantSnapshot(db: Database, organizationId: string): Promise<Record<string, string>> {
  const tables = await rows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.columns
        where table_schema = 'public' and column_name = 'organization_id' order by table_name`,
  );
  const snapshot: Record<string, string> = {};
  const take = async (name: string, query: SQL) => {
    snapshot[name] = JSON.stringify(await rows(db, query));
  };
  await take("organizations", sql`select * from organizations where id = ${organizationId}`);
  for (const { table_name: table } of tables) {
    await take(
      table,
      sql`select * from ${sql.identifier(table)} where organization_id = ${organizationId} order by 1, 2`,
    );
  }
  const people = sql`(select user_id from organization_users where organization_id = ${organizationId}
    union select r.user_id from sales_reps r join organization_sales_reps a on a.sales_rep_id = r.id
    where a.organization_id = ${organizationId})`;
  await take("users", sql`select * from users where id in ${people} order by id`);
  await take("sales_reps", sql`select * from sales_reps where user_id in ${people} order by id`);
  return snapshot;
}

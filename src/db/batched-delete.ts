import { sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client.js";

/**
 * Deletes the rows matching `where`, `batchSize` per statement, so a large backlog never holds one
 * long lock or transaction. `key` is the table's primary key, (organization_id, id) on a tenant
 * table, so each batch is found again through its index. Returns how many rows went.
 */
export async function deleteInBatches(
  db: Database,
  table: PgTable,
  key: readonly [PgColumn, ...PgColumn[]],
  where: SQL | undefined,
  batchSize: number,
): Promise<number> {
  const columns = sql.join(
    key.map((column) => sql`${column}`),
    sql`, `,
  );
  const picked = Object.fromEntries(key.map((column, index) => [`k${index}`, column]));
  let deleted = 0;
  for (;;) {
    const batch = await db
      .delete(table)
      .where(sql`(${columns}) in (${db.select(picked).from(table).where(where).limit(batchSize)})`)
      .returning({ one: sql`1` });
    deleted += batch.length;
    if (batch.length < batchSize) return deleted;
  }
}

import { inArray, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client.js";

/**
 * Deletes the rows matching `where`, `batchSize` per statement, so a large backlog never holds one
 * long lock or transaction. Returns how many rows went.
 */
export async function deleteInBatches(
  db: Database,
  table: PgTable,
  id: PgColumn,
  where: SQL | undefined,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await db
      .delete(table)
      .where(inArray(id, db.select({ id }).from(table).where(where).limit(batchSize)))
      .returning({ id });
    deleted += batch.length;
    if (batch.length < batchSize) return deleted;
  }
}

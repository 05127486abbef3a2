import { and, eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * The row of a tenant table with this key. A tenant table's primary key is (organization_id, id),
 * the shape a database distributed by organization needs (docs/operations.md), so a look-up by id
 * names the organization too: by id alone it would find no index.
 */
export function byKey(
  table: { organizationId: PgColumn; id: PgColumn },
  key: { organizationId: string; id: string },
): SQL {
  return and(eq(table.organizationId, key.organizationId), eq(table.id, key.id))!;
}

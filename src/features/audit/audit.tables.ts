import { index, jsonb, pgTable, text, timestamp, primaryKey } from "drizzle-orm/pg-core";
import type { Role } from "../../auth/roles.js";
import { organizations } from "../organizations/organizations.tables.js";

/** One row per mutation, written in the transaction of the change it describes. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id").notNull(),
    /** The roles the actor's token held in the organization; empty for public operations. */
    actorRoles: text("actor_roles").array().$type<Role[]>().notNull(),
    operation: text("operation").notNull(),
    targetIds: text("target_ids").array().notNull(),
    /** `{ field: { before, after } }` for the fields that changed, redacted. */
    changes: jsonb("changes").$type<Record<string, FieldChange>>().notNull(),
    requestId: text("request_id"),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "audit_events_pkey", columns: [t.organizationId, t.id] }),
    index("audit_events_org_created_idx").on(t.organizationId, t.createdAt),
    index("audit_events_created_idx").on(t.createdAt),
  ],
);

export interface FieldChange {
  before: unknown;
  after: unknown;
}

export type AuditEventRow = typeof auditEvents.$inferSelect;

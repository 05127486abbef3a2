import { boolean, pgTable, text, timestamp, unique, primaryKey } from "drizzle-orm/pg-core";
import type { Permission, RoleSide } from "../../auth/permissions.js";
import { organizations } from "../organizations/organizations.tables.js";

/**
 * An organization's own roles: named sets of permissions of one side. Seller roles are held by
 * members (`organization_users.role_keys`) and API clients (`api_clients.roles`); buyer roles by
 * customer associations (`user_customers.role_keys`), beside the built-in `customer-admin` and
 * `buyer`, which live in code. Holders name a role by its key, which never changes.
 */
export const customRoles = pgTable(
  "custom_roles",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().$type<Permission[]>().notNull(),
    side: text("side").$type<RoleSide>().notNull(),
    /** Buyer roles only: whether a customer's own user managers may give it. */
    buyerAssignable: boolean("buyer_assignable").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "custom_roles_pkey", columns: [t.organizationId, t.id] }),
    unique("custom_roles_org_key_key").on(t.organizationId, t.key),
  ],
);

export type CustomRoleRow = typeof customRoles.$inferSelect;

import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, text, timestamp, unique, primaryKey } from "drizzle-orm/pg-core";
import { customers } from "../customers/customers.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";

/**
 * How far a user's buyer roles reach: its customer only, or its customer and every customer below
 * it (a head office's branches). Nothing is inherited unless the assignment says so.
 */
export const buyerScopes = ["self", "self_and_descendants"] as const;
export type BuyerScopeKind = (typeof buyerScopes)[number];

/** Links a user to one customer per organization; it enriches the user's access token. */
export const userCustomers = pgTable(
  "user_customers",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    customerId: text("customer_id").notNull(),
    /** The buyer roles the user holds for its customer; an association made before roles is a `buyer`. */
    roleKeys: text("role_keys")
      .array()
      .notNull()
      .default(sql`'{buyer}'::text[]`),
    scope: text("scope").$type<BuyerScopeKind>().notNull().default("self"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "user_customers_pkey", columns: [t.organizationId, t.id] }),
    unique("user_customers_org_user_key").on(t.organizationId, t.userId),
    index("user_customers_user_idx").on(t.userId),
    foreignKey({
      name: "user_customers_customer_fk",
      columns: [t.organizationId, t.customerId],
      foreignColumns: [customers.organizationId, customers.id],
    }).onDelete("cascade"),
    index("user_customers_customer_idx").on(t.organizationId, t.customerId),
    check("user_customers_scope_known", sql`${t.scope} in ('self', 'self_and_descendants')`),
  ],
);

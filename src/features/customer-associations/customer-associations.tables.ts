import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { customers } from "../customers/customers.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";

/** Links a user to one customer per organization; it enriches the user's access token. */
export const userCustomers = pgTable(
  "user_customers",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** The buyer roles the user holds for its customer; an association made before roles is a `buyer`. */
    roleKeys: text("role_keys")
      .array()
      .notNull()
      .default(sql`'{buyer}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("user_customers_org_user_key").on(t.organizationId, t.userId),
    index("user_customers_user_idx").on(t.userId),
    index("user_customers_customer_idx").on(t.customerId),
  ],
);

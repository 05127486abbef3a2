import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";
import { organizations } from "../organizations/organizations.tables.js";

export const priceTiers = pgTable(
  "price_tiers",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    currencyCode: text("currency_code").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "price_tiers_pkey", columns: [t.organizationId, t.id] }),
    uniqueIndex("price_tiers_org_name_lower_key").on(t.organizationId, sql`lower(${t.name})`),
  ],
);

export type PriceTierRow = typeof priceTiers.$inferSelect;

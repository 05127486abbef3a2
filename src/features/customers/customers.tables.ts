import {
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { organizations } from "../organizations/organizations.tables.js";
import { priceTiers } from "../price-tiers/price-tiers.tables.js";

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    customerNumber: text("customer_number").notNull(),
    companyName: text("company_name").notNull(),
    companyEmail: text("company_email"),
    companyPhone: text("company_phone"),
    companyFax: text("company_fax"),
    /** Deleting a tier still in use is refused by the service; restrict is the backstop. */
    priceTierId: text("price_tier_id").references(() => priceTiers.id, { onDelete: "restrict" }),
    active: boolean("active").notNull().default(true),
    repNumber: text("rep_number"),
    terms: text("terms"),
    externalId: text("external_id"),
    customerAttributes: jsonb("customer_attributes").$type<Record<string, unknown>>(),
    /** Detaching sets null; a parent is never deleted with its children or the other way round. */
    parentId: text("parent_id").references((): AnyPgColumn => customers.id, { onDelete: "set null" }),
    paymentTermsCode: text("payment_terms_code"),
    netDays: integer("net_days"),
    creditLimit: numeric("credit_limit", { precision: 18, scale: 2, mode: "number" }),
    creditCurrency: text("credit_currency"),
    creditHold: boolean("credit_hold").notNull().default(false),
    availableCredit: numeric("available_credit", { precision: 18, scale: 2, mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("customers_org_number_key").on(t.organizationId, t.customerNumber),
    index("customers_org_rep_number_idx").on(t.organizationId, t.repNumber),
    index("customers_price_tier_idx").on(t.priceTierId),
    index("customers_org_parent_idx").on(t.organizationId, t.parentId),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;

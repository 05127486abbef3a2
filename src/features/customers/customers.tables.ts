import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { organizations } from "../organizations/organizations.tables.js";
import { priceTiers } from "../price-tiers/price-tiers.tables.js";

export const customers = pgTable(
  "customers",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    customerNumber: text("customer_number").notNull(),
    companyName: text("company_name").notNull(),
    companyEmail: text("company_email"),
    companyPhone: text("company_phone"),
    companyFax: text("company_fax"),
    /** Deleting a tier still in use is refused by the service; restrict is the backstop. */
    priceTierId: text("price_tier_id"),
    active: boolean("active").notNull().default(true),
    repNumber: text("rep_number"),
    terms: text("terms"),
    externalId: text("external_id"),
    customerAttributes: jsonb("customer_attributes").$type<Record<string, unknown>>(),
    /** Detaching sets null; a parent is never deleted with its children or the other way round. */
    parentId: text("parent_id"),
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
    primaryKey({ name: "customers_pkey", columns: [t.organizationId, t.id] }),
    unique("customers_org_number_key").on(t.organizationId, t.customerNumber),
    index("customers_org_rep_number_idx").on(t.organizationId, t.repNumber),
    foreignKey({
      name: "customers_price_tier_fk",
      columns: [t.organizationId, t.priceTierId],
      foreignColumns: [priceTiers.organizationId, priceTiers.id],
    }).onDelete("restrict"),
    index("customers_price_tier_idx").on(t.organizationId, t.priceTierId),
    // The migration declares this one `on delete set null (parent_id)`: a plain `set null` would
    // null organization_id too (refused, it is not null), and drizzle's foreignKey cannot name columns.
    foreignKey({
      name: "customers_parent_fk",
      columns: [t.organizationId, t.parentId],
      foreignColumns: [t.organizationId, t.id],
    }).onDelete("set null"),
    index("customers_org_parent_idx").on(t.organizationId, t.parentId),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;

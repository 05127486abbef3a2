import { boolean, foreignKey, pgTable, text, timestamp, unique, primaryKey } from "drizzle-orm/pg-core";
import { customers } from "../customers/customers.tables.js";
import { organizations } from "../organizations/organizations.tables.js";

export const addressTypes = ["shipping", "billing", "both"] as const;
export type AddressType = (typeof addressTypes)[number];

/** Ship-to and bill-to addresses of a customer, keyed by the ERP's address number within it. */
export const customerAddresses = pgTable(
  "customer_addresses",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    customerId: text("customer_id").notNull(),
    addressNumber: text("address_number").notNull(),
    type: text("type").$type<AddressType>().notNull(),
    companyName: text("company_name"),
    contactName: text("contact_name"),
    line1: text("line1").notNull(),
    line2: text("line2"),
    line3: text("line3"),
    city: text("city").notNull(),
    region: text("region"),
    postalCode: text("postal_code"),
    country: text("country").notNull(),
    phone: text("phone"),
    /** Default for each type the address has; the service keeps one default per type per customer. */
    isDefault: boolean("is_default").notNull().default(false),
    externalId: text("external_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "customer_addresses_pkey", columns: [t.organizationId, t.id] }),
    unique("customer_addresses_customer_number_key").on(t.organizationId, t.customerId, t.addressNumber),
    foreignKey({
      name: "customer_addresses_customer_fk",
      columns: [t.organizationId, t.customerId],
      foreignColumns: [customers.organizationId, customers.id],
    }).onDelete("cascade"),
  ],
);

export type CustomerAddressRow = typeof customerAddresses.$inferSelect;

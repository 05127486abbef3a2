import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  primaryKey,
} from "drizzle-orm/pg-core";
import { users } from "../users/users.tables.js";

export const organizations = pgTable(
  "organizations",
  {
    id: text("id").primaryKey(),
    /** The code callers pass to POST /api/auth/access. */
    identityOrganizationId: text("identity_organization_id")
      .notNull()
      .unique("organizations_identity_organization_id_key"),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique("organizations_slug_key"),
    billingAddress1: text("billing_address1"),
    billingAddress2: text("billing_address2"),
    billingCity: text("billing_city"),
    billingStateProvince: text("billing_state_province"),
    billingPostalCode: text("billing_postal_code"),
    billingCountry: text("billing_country"),
    phoneNumber: text("phone_number"),
    email: text("email"),
    website: text("website"),
    /** Tier applied to customers that name none; a tier name of this organization. */
    defaultPriceTier: text("default_price_tier"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("organizations_name_lower_key").on(sql`lower(${t.name})`)],
);

/** A user's membership of an organization; admins are members with `isAdmin`; `roleKeys` its custom seller roles. */
export const organizationUsers = pgTable(
  "organization_users",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    isAdmin: boolean("is_admin").notNull().default(false),
    /**
     * Set while an existing account added under MEMBERSHIP_CONSENT=required has not accepted: the
     * row holds no role until then (the per-request role statement skips it).
     */
    pendingSince: timestamp("pending_since", { withTimezone: true }),
    roleKeys: text("role_keys")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "organization_users_pkey", columns: [t.organizationId, t.id] }),
    unique("organization_users_org_user_key").on(t.organizationId, t.userId),
    index("organization_users_user_idx").on(t.userId),
  ],
);

export const organizationSubscriptions = pgTable(
  "organization_subscriptions",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    planCode: text("plan_code").notNull(),
    status: text("status").notNull(),
    quantity: integer("quantity").notNull().default(1),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "organization_subscriptions_pkey", columns: [t.organizationId, t.id] })],
);

export const organizationEntitlements = pgTable(
  "organization_entitlements",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    name: text("name").notNull(),
    limit: integer("limit"),
  },
  (t) => [
    primaryKey({ name: "organization_entitlements_pkey", columns: [t.organizationId, t.id] }),
    unique("organization_entitlements_org_code_key").on(t.organizationId, t.code),
  ],
);

export type OrganizationRow = typeof organizations.$inferSelect;

import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { customers } from "../customers/customers.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";
import type { ScopeRule } from "./scope-rule.js";

/** A user who works as a sales rep; exists while it has at least one assignment. */
export const salesReps = pgTable("sales_reps", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .unique("sales_reps_user_key")
    .references(() => users.id, { onDelete: "cascade" }),
  createdByName: text("created_by_name"),
  createdByType: text("created_by_type"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const accessTypes = ["customer", "role", "all"] as const;
export type AccessType = (typeof accessTypes)[number];

/** A rep as a whole: invited until it has a password, inactive when deactivated everywhere. */
export const salesRepStatuses = ["active", "invited", "inactive"] as const;
export type SalesRepStatus = (typeof salesRepStatuses)[number];

/**
 * A sales-rep role of one organization: which customers an assignment with access type `role`
 * reaches, as a scope rule (scope-rule.ts) read in SQL on every request.
 */
export const salesRepRoles = pgTable(
  "sales_rep_roles",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    scope: jsonb("scope").$type<ScopeRule>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "sales_rep_roles_pkey", columns: [t.organizationId, t.id] }),
    unique("sales_rep_roles_org_key_key").on(t.organizationId, t.key),
  ],
);

/** One rep's assignment to one organization (OrganizationSalesRep). */
export const organizationSalesReps = pgTable(
  "organization_sales_reps",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    salesRepId: text("sales_rep_id")
      .notNull()
      .references(() => salesReps.id, { onDelete: "cascade" }),
    repNumber: text("rep_number").notNull(),
    active: boolean("active").notNull().default(true),
    accessType: text("access_type").$type<AccessType>().notNull().default("customer"),
    /** The key of the organization's sales-rep role, only with access type `role`. */
    salesRepRole: text("sales_rep_role"),
    /** Whether the customers listed for the assignment (sales_rep_customers) bring their descendants. */
    includeDescendants: boolean("include_descendants").notNull().default(false),
    /** As organization_users.pending_since: an existing account's assignment awaiting its consent. */
    pendingSince: timestamp("pending_since", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "organization_sales_reps_pkey", columns: [t.organizationId, t.id] }),
    unique("organization_sales_reps_org_rep_key").on(t.organizationId, t.salesRepId),
    unique("organization_sales_reps_org_rep_number_key").on(t.organizationId, t.repNumber),
    index("organization_sales_reps_rep_idx").on(t.salesRepId),
    // By organization and key, so a role can only be one of the assignment's own organization. No
    // action (not restrict): deleting an organization removes its roles and assignments together.
    foreignKey({
      name: "organization_sales_reps_role_fk",
      columns: [t.organizationId, t.salesRepRole],
      foreignColumns: [salesRepRoles.organizationId, salesRepRoles.key],
    }),
    index("organization_sales_reps_role_idx").on(t.organizationId, t.salesRepRole),
    check("organization_sales_reps_role_only_for_role", sql`${t.salesRepRole} is null or ${t.accessType} = 'role'`),
  ],
);

/** Customers assigned to a rep explicitly (create-sales-rep), besides those matching its rep number. */
export const salesRepCustomers = pgTable(
  "sales_rep_customers",
  {
    organizationSalesRepId: text("organization_sales_rep_id").notNull(),
    customerId: text("customer_id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({
      name: "sales_rep_customers_pkey",
      columns: [t.organizationId, t.organizationSalesRepId, t.customerId],
    }),
    foreignKey({
      name: "sales_rep_customers_assignment_fk",
      columns: [t.organizationId, t.organizationSalesRepId],
      foreignColumns: [organizationSalesReps.organizationId, organizationSalesReps.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "sales_rep_customers_customer_fk",
      columns: [t.organizationId, t.customerId],
      foreignColumns: [customers.organizationId, customers.id],
    }).onDelete("cascade"),
    index("sales_rep_customers_customer_idx").on(t.organizationId, t.customerId),
  ],
);

export const salesRepMetaFields = pgTable(
  "sales_rep_meta_fields",
  {
    id: text("id").primaryKey(),
    salesRepId: text("sales_rep_id")
      .notNull()
      .references(() => salesReps.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    value: jsonb("value"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("sales_rep_meta_fields_rep_code_key").on(t.salesRepId, t.code)],
);

export type AssignmentRow = typeof organizationSalesReps.$inferSelect;

export type MetaFieldRow = typeof salesRepMetaFields.$inferSelect;

export type SalesRepRow = typeof salesReps.$inferSelect;

export type SalesRepRoleRow = typeof salesRepRoles.$inferSelect;

import DataLoader from "dataloader";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { LoaderFactory } from "../../context.js";
import { organizations, organizationUsers, type OrganizationRow } from "../organizations/organizations.tables.js";
import { users, type UserRow } from "../users/users.tables.js";
import {
  organizationSalesReps,
  salesRepCustomers,
  salesRepMetaFields,
  salesReps,
  type AssignmentRow,
  type MetaFieldRow,
  type SalesRepRow,
} from "./sales-reps.tables.js";

export interface SalesRepWithUser {
  rep: SalesRepRow;
  user: UserRow;
}

/** Groups rows by a key in the order DataLoader asked for the keys; missing keys get []. */
function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

export const organizationById: LoaderFactory<string, OrganizationRow | undefined> = (ctx) =>
  new DataLoader(async (ids) => {
    const rows = await ctx.db
      .select()
      .from(organizations)
      .where(inArray(organizations.id, [...ids]));
    return ids.map((id) => rows.find((row) => row.id === id));
  });

/** A rep record with its user, the source of the rep's name, e-mail and sign-in state. */
export const salesRepById: LoaderFactory<string, SalesRepWithUser | undefined> = (ctx) =>
  new DataLoader(async (ids) => {
    const rows = await ctx.db
      .select({ rep: salesReps, user: users })
      .from(salesReps)
      .innerJoin(users, eq(users.id, salesReps.userId))
      .where(inArray(salesReps.id, [...ids]));
    const byId = new Map(rows.map((row) => [row.rep.id, row]));
    return ids.map((id) => byId.get(id));
  });

/** Every assignment of each rep, in every organization, oldest first. */
export const assignmentsBySalesRepId: LoaderFactory<string, AssignmentRow[]> = (ctx) =>
  new DataLoader(async (ids) => {
    const rows = await ctx.db
      .select()
      .from(organizationSalesReps)
      .where(inArray(organizationSalesReps.salesRepId, [...ids]))
      .orderBy(asc(organizationSalesReps.createdAt), asc(organizationSalesReps.id));
    return groupBy(ids, rows, (row) => row.salesRepId);
  });

/** The customers create-sales-rep listed for each assignment. */
export const customerIdsByAssignmentId: LoaderFactory<string, string[]> = (ctx) =>
  new DataLoader(async (ids) => {
    const rows = await ctx.db
      .select({ assignmentId: salesRepCustomers.organizationSalesRepId, customerId: salesRepCustomers.customerId })
      .from(salesRepCustomers)
      .where(inArray(salesRepCustomers.organizationSalesRepId, [...ids]))
      .orderBy(asc(salesRepCustomers.customerId));
    return groupBy(ids, rows, (row) => row.assignmentId).map((group) => group.map((row) => row.customerId));
  });

export const metaFieldsBySalesRepId: LoaderFactory<string, MetaFieldRow[]> = (ctx) =>
  new DataLoader(async (ids) => {
    const rows = await ctx.db
      .select()
      .from(salesRepMetaFields)
      .where(inArray(salesRepMetaFields.salesRepId, [...ids]))
      .orderBy(asc(salesRepMetaFields.code));
    return groupBy(ids, rows, (row) => row.salesRepId);
  });

/** The organizations each user administers: what a caller may see of a rep's other assignments. */
export const administeredOrganizationIds: LoaderFactory<string, Set<string>> = (ctx) =>
  new DataLoader(async (userIds) => {
    const rows = await ctx.db
      .select({ userId: organizationUsers.userId, organizationId: organizationUsers.organizationId })
      .from(organizationUsers)
      .where(and(inArray(organizationUsers.userId, [...userIds]), eq(organizationUsers.isAdmin, true)));
    return groupBy(userIds, rows, (row) => row.userId).map((group) => new Set(group.map((row) => row.organizationId)));
  });

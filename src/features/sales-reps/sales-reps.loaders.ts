import DataLoader from "dataloader";
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { LoaderFactory, RequestContext } from "../../context.js";
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

/** One of a rep's assignments with what its fields show and whether the caller administers it. */
export interface AssignmentDetail {
  assignment: AssignmentRow;
  organization: OrganizationRow;
  customerIds: string[];
  callerAdministers: boolean;
}

/** Everything about a rep beyond its own row and user: what a rep list's nested fields need. */
export interface RepRelations {
  /** In every organization, oldest first. */
  assignments: AssignmentDetail[];
  /** By code. */
  metaFields: MetaFieldRow[];
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

/** Meta fields as json_agg returns them: timestamps arrive as ISO strings. */
type MetaFieldJson = Omit<MetaFieldRow, "updatedAt"> & { updatedAt: string };

/**
 * A batch of reps' relations in one statement: a row per assignment carrying its organization, its
 * listed customers, whether the caller administers that organization and (repeated per row, they
 * are few) the rep's meta fields. It also primes `organizationById`, so organization names of
 * assignments in other tenants cost nothing more.
 */
export const relationsBySalesRepId: LoaderFactory<string, RepRelations> = (ctx) =>
  new DataLoader(async (ids) => {
    const callerId = await callerUserId(ctx);
    const meta = salesRepMetaFields;
    const rows = await ctx.db
      .select({
        assignment: organizationSalesReps,
        organization: organizations,
        customerIds: sql<string[]>`array(
          select ${salesRepCustomers.customerId} from ${salesRepCustomers}
          where ${salesRepCustomers.organizationSalesRepId} = ${organizationSalesReps.id}
          order by ${salesRepCustomers.customerId})`,
        callerAdministers: sql<boolean>`exists(
          select 1 from ${organizationUsers}
          where ${organizationUsers.organizationId} = ${organizationSalesReps.organizationId}
            and ${organizationUsers.userId} = ${callerId} and ${organizationUsers.isAdmin})`,
        metaFields: sql<MetaFieldJson[]>`coalesce((
          select json_agg(json_build_object('id', ${meta.id}, 'salesRepId', ${meta.salesRepId}, 'code', ${meta.code},
            'value', ${meta.value}, 'updatedAt', ${meta.updatedAt}) order by ${meta.code})
          from ${meta} where ${meta.salesRepId} = ${organizationSalesReps.salesRepId}), '[]'::json)`,
      })
      .from(organizationSalesReps)
      .innerJoin(organizations, eq(organizations.id, organizationSalesReps.organizationId))
      .where(inArray(organizationSalesReps.salesRepId, [...ids]))
      .orderBy(asc(organizationSalesReps.createdAt), asc(organizationSalesReps.id));

    const organizationLoader = ctx.loaders.get(organizationById);
    const byRep = new Map<string, RepRelations>();
    for (const { metaFields, ...detail } of rows) {
      organizationLoader.prime(detail.organization.id, detail.organization);
      let relations = byRep.get(detail.assignment.salesRepId);
      if (!relations) {
        relations = {
          assignments: [],
          metaFields: metaFields.map((field) => ({ ...field, updatedAt: new Date(field.updatedAt) })),
        };
        byRep.set(detail.assignment.salesRepId, relations);
      }
      relations.assignments.push(detail);
    }
    return ids.map((id) => byRep.get(id) ?? { assignments: [], metaFields: [] });
  });

/** The caller's user id, or null for an API client, which administers no organization by membership. */
async function callerUserId(ctx: RequestContext): Promise<string | null> {
  return ctx.auth.tokenKind === "client" ? null : ctx.auth.userId();
}

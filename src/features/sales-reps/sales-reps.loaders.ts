import DataLoader from "dataloader";
import { eq, inArray, sql } from "drizzle-orm";
import { fromJsonRow, jsonRow, qualified as q } from "../../db/json-rows.js";
import type { LoaderFactory, RequestContext } from "../../context.js";
import type { Database } from "../../db/client.js";
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

/** What an assignment's fields show of its organization. */
export type OrganizationNames = Pick<OrganizationRow, "name" | "identityOrganizationId">;

/** One of a rep's assignments with what its fields show and whether the caller administers it. */
export interface AssignmentDetail {
  assignment: AssignmentRow;
  organization: OrganizationNames;
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
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
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

type AssignmentDetailJson = Omit<AssignmentDetail, "assignment"> & { assignment: Record<string, unknown> };

/**
 * Reps' relations, a row per rep: its assignments (each with its organization's names, its listed
 * customers and whether the caller administers it) and its meta fields, as JSON built by the
 * database. Built once per database and prepared: every rep read outside the compiled list runs it.
 */
function relationsQuery(db: Database) {
  const assignment = organizationSalesReps;
  const meta = salesRepMetaFields;
  return db
    .select({
      salesRepId: salesReps.id,
      assignments: sql<AssignmentDetailJson[]>`(
        select coalesce(json_agg(json_build_object(
          'assignment', ${jsonRow(assignment)},
          'organization', json_build_object('name', ${q(organizations.name)},
            'identityOrganizationId', ${q(organizations.identityOrganizationId)}),
          'customerIds', array(
            select ${q(salesRepCustomers.customerId)} from ${salesRepCustomers}
            where ${q(salesRepCustomers.organizationId)} = ${q(assignment.organizationId)}
              and ${q(salesRepCustomers.organizationSalesRepId)} = ${q(assignment.id)}
            order by ${q(salesRepCustomers.customerId)}),
          'callerAdministers', exists(
            select 1 from ${organizationUsers}
            where ${q(organizationUsers.organizationId)} = ${q(assignment.organizationId)}
              and ${q(organizationUsers.userId)} = ${sql.placeholder("callerId")} and ${q(organizationUsers.isAdmin)})
        ) order by ${q(assignment.createdAt)}, ${q(assignment.id)}), '[]'::json)
        from ${assignment} join ${organizations} on ${q(organizations.id)} = ${q(assignment.organizationId)}
        where ${q(assignment.salesRepId)} = ${q(salesReps.id)})`,
      metaFields: sql<Record<string, unknown>[]>`(
        select coalesce(json_agg(${jsonRow(meta)} order by ${q(meta.code)}), '[]'::json)
        from ${meta} where ${q(meta.salesRepId)} = ${q(salesReps.id)})`,
    })
    .from(salesReps)
    .where(sql`${q(salesReps.id)} = any(${sql.placeholder("ids")})`)
    .prepare("sales_rep_relations");
}

const relationsQueries = new WeakMap<Database, ReturnType<typeof relationsQuery>>();

/** A batch of reps' relations in one statement (see relationsQuery). */
export const relationsBySalesRepId: LoaderFactory<string, RepRelations> = (ctx) =>
  new DataLoader(async (ids) => {
    let query = relationsQueries.get(ctx.db);
    if (!query) {
      query = relationsQuery(ctx.db);
      relationsQueries.set(ctx.db, query);
    }
    const rows = await query.execute({ ids: [...ids], callerId: await callerUserId(ctx) });
    const byRep = new Map<string, RepRelations>(
      rows.map((row) => [
        row.salesRepId,
        {
          assignments: row.assignments.map((detail) => ({
            ...detail,
            assignment: fromJsonRow(organizationSalesReps, detail.assignment),
          })),
          metaFields: row.metaFields.map((field) => fromJsonRow(salesRepMetaFields, field)),
        },
      ]),
    );
    return ids.map((id) => byRep.get(id) ?? { assignments: [], metaFields: [] });
  });

/** The caller's user id, or null for an API client, which administers no organization by membership. */
async function callerUserId(ctx: RequestContext): Promise<string | null> {
  return ctx.auth.tokenKind === "client" ? null : ctx.auth.userId();
}

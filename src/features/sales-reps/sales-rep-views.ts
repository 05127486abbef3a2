import type { RequestContext } from "../../context.js";
import type { UserRow } from "../users/users.tables.js";
import { identityProviderOf, organizationOf, repWithUser, visibleAssignments } from "./sales-rep-relations.js";
import type { OrganizationNames, SalesRepWithUser } from "./sales-reps.loaders.js";
import type { AssignmentRow, MetaFieldRow, SalesRepRow, SalesRepStatus } from "./sales-reps.tables.js";

/**
 * What the API shows of reps and assignments, built once per object: the person fields come from
 * the rep's user and the organization's name is copied in, so GraphQL reads them as plain fields.
 * Only relations (a rep's assignments, status, meta fields, listed customers) resolve lazily.
 */
export interface PersonView {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string | null;
  identityProvider: string;
  identityProviderUserId: string;
}

export type AssignmentView = AssignmentRow &
  PersonView & { userId: string; organizationName: string; identityOrganizationId: string; pending: boolean };

export type SalesRepView = SalesRepRow &
  PersonView & { verifiedEmail: boolean; createdBy: { name: string; type: string } | null };

/**
 * A view as a compiled list builds it (sales-rep-shape.ts): the relations it selected are already
 * in it, so their field resolvers read them instead of loading them.
 */
export type CompiledAssignment = AssignmentView & { customerIds?: string[]; salesRep?: CompiledSalesRep };

export type CompiledSalesRep = SalesRepView & {
  status?: SalesRepStatus;
  metaFields?: MetaFieldRow[];
  assignments?: CompiledAssignment[];
};

function personView(user: UserRow): PersonView {
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    phoneNumber: user.phoneNumber,
    ...identityProviderOf(user),
  };
}

export function assignmentView(
  assignment: AssignmentRow,
  { user }: SalesRepWithUser,
  organization: OrganizationNames,
): AssignmentView {
  // Written out rather than spread: a list builds many, and objects of one literal shape are cheap.
  return {
    id: assignment.id,
    organizationId: assignment.organizationId,
    salesRepId: assignment.salesRepId,
    repNumber: assignment.repNumber,
    active: assignment.active,
    accessType: assignment.accessType,
    salesRepRole: assignment.salesRepRole,
    includeDescendants: assignment.includeDescendants,
    pendingSince: assignment.pendingSince,
    pending: assignment.pendingSince !== null,
    createdAt: assignment.createdAt,
    updatedAt: assignment.updatedAt,
    ...personView(user),
    userId: user.id,
    organizationName: organization.name,
    identityOrganizationId: organization.identityOrganizationId,
  };
}

export function salesRepView({ rep, user }: SalesRepWithUser): SalesRepView {
  return {
    id: rep.id,
    userId: rep.userId,
    createdByName: rep.createdByName,
    createdByType: rep.createdByType,
    createdAt: rep.createdAt,
    updatedAt: rep.updatedAt,
    ...personView(user),
    verifiedEmail: user.emailVerified,
    createdBy: rep.createdByName ? { name: rep.createdByName, type: rep.createdByType ?? "user" } : null,
  };
}

/** An assignment from anywhere (a mutation, a reference), its rep and organization loaded in the request's batch. */
export async function viewOfAssignment(ctx: RequestContext, assignment: AssignmentRow): Promise<AssignmentView> {
  const [rep, organization] = await Promise.all([
    repWithUser(ctx, assignment.salesRepId),
    organizationOf(ctx, assignment.organizationId),
  ]);
  return assignmentView(assignment, rep, organization);
}

export async function viewOfSalesRep(ctx: RequestContext, rep: SalesRepRow): Promise<SalesRepView> {
  return salesRepView(await repWithUser(ctx, rep.id));
}

/** A rep's assignments the caller may see (see visibleAssignments), as views. */
export async function visibleAssignmentViews(ctx: RequestContext, rep: SalesRepRow): Promise<AssignmentView[]> {
  const [withUser, details] = await Promise.all([repWithUser(ctx, rep.id), visibleAssignments(ctx, rep)]);
  return details.map((detail) => assignmentView(detail.assignment, withUser, detail.organization));
}

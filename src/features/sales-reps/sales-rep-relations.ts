import type { RequestContext } from "../../context.js";
import { NotFoundError } from "../../errors.js";
import {
  organizationById,
  relationsBySalesRepId,
  salesRepById,
  type AssignmentDetail,
  type SalesRepWithUser,
} from "./sales-reps.loaders.js";
import type { AssignmentRow, MetaFieldRow, SalesRepRow, SalesRepStatus } from "./sales-reps.tables.js";
import type { OrganizationRow } from "../organizations/organizations.tables.js";
import type { UserRow } from "../users/users.tables.js";

/** Built-in sign-in answers with the user id; a user linked to the external provider with its subject. */
export function identityProviderOf(user: UserRow): { identityProvider: string; identityProviderUserId: string } {
  return user.externalSubject
    ? { identityProvider: "oidc", identityProviderUserId: user.externalSubject }
    : { identityProvider: "builtin", identityProviderUserId: user.id };
}

/** inactive when deactivated everywhere; invited until the user can sign in; else active. */
export function salesRepStatus(user: UserRow, assignments: AssignmentRow[]): SalesRepStatus {
  if (!assignments.some((assignment) => assignment.active)) return "inactive";
  if (!user.passwordHash && !user.externalSubject) return "invited";
  return "active";
}

/** A rep and its user, loaded in one batch with every other rep the request touches. */
export async function repWithUser(ctx: RequestContext, salesRepId: string): Promise<SalesRepWithUser> {
  const found = await ctx.loaders.get(salesRepById).load(salesRepId);
  // The foreign key makes a missing rep impossible outside a concurrent removal.
  if (!found) throw new NotFoundError("The sales rep no longer exists");
  return found;
}

export async function organizationOf(ctx: RequestContext, organizationId: string): Promise<OrganizationRow> {
  const found = await ctx.loaders.get(organizationById).load(organizationId);
  if (!found) throw new NotFoundError("The organization no longer exists");
  return found;
}

/** The customers listed for an assignment, loaded with the rest of its rep's relations. */
export async function assignedCustomerIds(ctx: RequestContext, assignment: AssignmentRow): Promise<string[]> {
  const { assignments } = await ctx.loaders.get(relationsBySalesRepId).load(assignment.salesRepId);
  return assignments.find((detail) => detail.assignment.id === assignment.id)?.customerIds ?? [];
}

export async function metaFieldsOf(ctx: RequestContext, salesRepId: string): Promise<MetaFieldRow[]> {
  return (await ctx.loaders.get(relationsBySalesRepId).load(salesRepId)).metaFields;
}

export async function statusOf(ctx: RequestContext, rep: SalesRepRow): Promise<SalesRepStatus> {
  const [{ user }, { assignments }] = await Promise.all([
    repWithUser(ctx, rep.id),
    ctx.loaders.get(relationsBySalesRepId).load(rep.id),
  ]);
  return salesRepStatus(
    user,
    assignments.map((detail) => detail.assignment),
  );
}

/**
 * A rep's assignments as the caller may see them: all of them to the rep itself, otherwise only
 * those in organizations the caller administers, so one tenant never learns of another's.
 */
export async function visibleAssignments(ctx: RequestContext, rep: SalesRepRow): Promise<AssignmentDetail[]> {
  const { assignments } = await ctx.loaders.get(relationsBySalesRepId).load(rep.id);
  const visible = await visibleTo(ctx, rep);
  return assignments.filter(visible);
}

async function visibleTo(ctx: RequestContext, rep: SalesRepRow): Promise<(detail: AssignmentDetail) => boolean> {
  if (ctx.auth.tokenKind === "client") {
    // An API client administers its own organization and no other.
    const organizationId = await ctx.auth.organizationId();
    return (detail) => detail.assignment.organizationId === organizationId;
  }
  if (rep.userId === (await ctx.auth.userId())) return () => true;
  return (detail) => detail.callerAdministers;
}

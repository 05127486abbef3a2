import type { RequestContext } from "../../context.js";
import { NotFoundError } from "../../errors.js";
import {
  administeredOrganizationIds,
  assignmentsBySalesRepId,
  customerIdsByAssignmentId,
  metaFieldsBySalesRepId,
  organizationById,
  salesRepById,
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

export function assignedCustomerIds(ctx: RequestContext, organizationSalesRepId: string): Promise<string[]> {
  return ctx.loaders.get(customerIdsByAssignmentId).load(organizationSalesRepId);
}

export function metaFieldsOf(ctx: RequestContext, salesRepId: string): Promise<MetaFieldRow[]> {
  return ctx.loaders.get(metaFieldsBySalesRepId).load(salesRepId);
}

export async function statusOf(ctx: RequestContext, rep: SalesRepRow): Promise<SalesRepStatus> {
  const [{ user }, assignments] = await Promise.all([
    repWithUser(ctx, rep.id),
    ctx.loaders.get(assignmentsBySalesRepId).load(rep.id),
  ]);
  return salesRepStatus(user, assignments);
}

/**
 * A rep's assignments as the caller may see them: all of them to the rep itself, otherwise only
 * those in organizations the caller administers, so one tenant never learns of another's.
 */
export async function visibleAssignments(ctx: RequestContext, rep: SalesRepRow): Promise<AssignmentRow[]> {
  const assignments = await ctx.loaders.get(assignmentsBySalesRepId).load(rep.id);
  if (ctx.auth.tokenKind === "client") {
    // An API client administers its own organization and no other.
    const organizationId = await ctx.auth.organizationId();
    return assignments.filter((assignment) => assignment.organizationId === organizationId);
  }
  const callerId = await ctx.auth.userId();
  if (rep.userId === callerId) return assignments;
  const administered = await ctx.loaders.get(administeredOrganizationIds).load(callerId);
  return assignments.filter((assignment) => administered.has(assignment.organizationId));
}

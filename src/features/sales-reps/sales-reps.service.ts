import { and, asc, eq, sql } from "drizzle-orm";
import { isForeignKeyViolation, isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, NotFoundError } from "../../errors.js";
import type { Selection } from "../../db/json-select.js";
import { paginateCompiled, type PageResult } from "../../pagination.js";
import { salesRepListSpec } from "./sales-rep-list.js";
import { InputCheck } from "../../validation.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { organizationUsers } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";
import { alreadyAssigned, repNumberRule, repNumberTaken } from "./assignment-checks.js";
import { checkPerson, findOrCreateUser, isMember, needsConsent, shownPerson } from "../people/people.js";
import { inviterOf } from "../people/person-mail.js";
import { creatorOf, ensureRep, inviteRep } from "./sales-rep-accounts.js";
import { compileAssignmentList } from "./sales-rep-shape.js";
import { viewOfAssignment, viewOfSalesRep, type AssignmentView, type SalesRepView } from "./sales-rep-views.js";
import { checkRoleKey, findRoleKeys } from "./sales-rep-roles.service.js";
import type { SetSalesRepAccessInput } from "./sales-rep-roles.types.js";
import { organizationSalesReps, salesReps, type AccessType } from "./sales-reps.tables.js";
import type { AddSalesRepInput, OrganizationSalesRepsArgs, RemoveSalesRepPayload } from "./sales-reps.types.js";

/**
 * A page of the organization's assignments with the fields `selection` asks for, each row built
 * as JSON by one compiled, prepared statement (sales-rep-shape.ts) with every visibility rule in
 * it: the tenant for the page, the caller's administered organizations for a rep's assignments.
 */
export async function listOrganizationSalesReps(
  ctx: RequestContext,
  args: OrganizationSalesRepsArgs,
  selection: Selection,
): Promise<PageResult<AssignmentView>> {
  const organizationId = await ctx.auth.organizationId();
  const client = ctx.auth.tokenKind === "client";
  const callerUserId = client ? null : await ctx.auth.userId();
  return paginateCompiled<AssignmentView>(
    ctx.db,
    args,
    salesRepListSpec,
    (orderBy) => compileAssignmentList(selection, orderBy),
    { organizationId, callerUserId, callerClientOrganizationId: client ? organizationId : null },
  );
}

/** A federated reference to an assignment: only one in the caller's organization resolves. */
export async function assignmentReference(ctx: RequestContext, id: string): Promise<AssignmentView | null> {
  const organizationId = await ctx.auth.organizationId();
  const [assignment] = await ctx.db
    .select()
    .from(organizationSalesReps)
    .where(and(eq(organizationSalesReps.id, id), eq(organizationSalesReps.organizationId, organizationId)));
  return assignment ? viewOfAssignment(ctx, assignment) : null;
}

/** A federated reference to a rep: only one assigned to the caller's organization resolves. */
export async function salesRepReference(ctx: RequestContext, id: string): Promise<SalesRepView | null> {
  const organizationId = await ctx.auth.organizationId();
  const [found] = await ctx.db
    .select({ rep: salesReps })
    .from(salesReps)
    .innerJoin(organizationSalesReps, eq(organizationSalesReps.salesRepId, salesReps.id))
    .where(and(eq(salesReps.id, id), eq(organizationSalesReps.organizationId, organizationId)))
    .limit(1);
  return found ? viewOfSalesRep(ctx, found.rep) : null;
}

/** Every assignment of the caller as a sales rep, active or not, in every organization. */
export async function listMySalesRepOrganizations(ctx: RequestContext): Promise<AssignmentView[]> {
  const userId = await ctx.auth.userId();
  const rows = await ctx.db
    .select({ assignment: organizationSalesReps })
    .from(organizationSalesReps)
    .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
    .where(eq(salesReps.userId, userId))
    .orderBy(asc(organizationSalesReps.createdAt), asc(organizationSalesReps.id));
  return Promise.all(rows.map((row) => viewOfAssignment(ctx, row.assignment)));
}

/** PUT /api/organizations/salesreps: creates or reuses the rep and assigns it to the caller's organization. */
export async function addSalesRep(ctx: RequestContext, input: AddSalesRepInput): Promise<AssignmentView> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const person = checkPerson(check, input, { lastNameRequired: true });
  const repNumber = check.text("repNumber", input.repNumber, repNumberRule);
  (input.roles ?? []).forEach((role, index) => {
    if (role !== "SalesRep") check.fail(`roles[${index}]`, "must be SalesRep");
  });
  check.done();
  const creator = await creatorOf(ctx);
  const invitedBy = await inviterOf(ctx);

  try {
    const { added, wasMember } = await ctx.db.transaction(async (tx) => {
      const found = await findOrCreateUser(tx, person);
      const { user } = found;
      const wasMember = await isMember(tx, organizationId, user.id);
      const pending = needsConsent(ctx.config, found) && !wasMember;
      const { rep } = await ensureRep(tx, user.id, creator);
      const [assignment] = await tx
        .insert(organizationSalesReps)
        .values({
          id: newId(),
          organizationId,
          salesRepId: rep.id,
          repNumber,
          pendingSince: pending ? sql`now()` : null,
        })
        .returning();
      await recordChange(tx, ctx, {
        operation: "addSalesRep",
        targetIds: [assignment!.id, rep.id, user.id],
        after: assignment,
        event: {
          type: "salesrep.added",
          data: { organizationSalesRepId: assignment!.id, salesRepId: rep.id, userId: user.id, repNumber },
        },
      });
      await inviteRep(tx, ctx, user, [organizationId], { again: false, invitedBy, announce: !wasMember, pending });
      return { added: assignment!, wasMember };
    });
    const view = await viewOfAssignment(ctx, added);
    return wasMember ? view : shownPerson(view, person, false);
  } catch (error) {
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_key")) throw alreadyAssigned("email");
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_number_key")) throw repNumberTaken("repNumber");
    throw error;
  }
}

const unknownAssignment = () =>
  new NotFoundError("organizationSalesRepId does not match a sales rep of your organization");

function checkAssignmentId(organizationSalesRepId: string): string {
  const check = new InputCheck();
  const id = check.text("organizationSalesRepId", organizationSalesRepId);
  check.done();
  return id;
}

const inOrganization = (id: string, organizationId: string) =>
  and(eq(organizationSalesReps.id, id), eq(organizationSalesReps.organizationId, organizationId));

export async function updateSalesRepNumber(
  ctx: RequestContext,
  organizationSalesRepId: string,
  repNumber: string,
): Promise<AssignmentView> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const id = check.text("organizationSalesRepId", organizationSalesRepId);
  const number = check.text("repNumber", repNumber, repNumberRule);
  check.done();
  try {
    const changed = await ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(organizationSalesReps).where(inOrganization(id, organizationId));
      const [updated] = await tx
        .update(organizationSalesReps)
        .set({ repNumber: number, updatedAt: sql`now()` })
        .where(inOrganization(id, organizationId))
        .returning();
      if (!updated) throw unknownAssignment();
      await recordChange(tx, ctx, { operation: "updateSalesRepNumber", targetIds: [id], before, after: updated });
      return updated;
    });
    return await viewOfAssignment(ctx, changed);
  } catch (error) {
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_number_key")) throw repNumberTaken("repNumber");
    throw error;
  }
}

const unknownRole = () => BadInputError.field("salesRepRole", "is not a sales-rep role of your organization");

/**
 * Which customers an assignment reaches: `role` names one of the organization's sales-rep roles,
 * `customer` and `all` none; `includeDescendants` (kept when omitted) whether listed customers bring
 * their descendants. The rep's next request follows it (scopes are read per request).
 */
export async function setSalesRepAccess(ctx: RequestContext, input: SetSalesRepAccessInput): Promise<AssignmentView> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const id = check.text("organizationSalesRepId", input.organizationSalesRepId);
  const accessType = input.accessType as AccessType;
  const role = input.salesRepRole?.trim() ? checkRoleKey(check, "salesRepRole", input.salesRepRole) : null;
  if (accessType === "role" && !role) check.fail("salesRepRole", "is required with access type role");
  if (accessType !== "role" && role) check.fail("salesRepRole", "may be given only with access type role");
  const includeDescendants = input.includeDescendants ?? undefined;
  check.done();
  try {
    const changed = await ctx.db.transaction(async (tx) => {
      const [before] = await tx
        .select({
          accessType: organizationSalesReps.accessType,
          salesRepRole: organizationSalesReps.salesRepRole,
          includeDescendants: organizationSalesReps.includeDescendants,
        })
        .from(organizationSalesReps)
        .where(inOrganization(id, organizationId))
        .for("update");
      if (!before) throw unknownAssignment();
      if (role && (await findRoleKeys(tx, [organizationId], [role])).length === 0) throw unknownRole();
      const [updated] = await tx
        .update(organizationSalesReps)
        .set({ accessType, salesRepRole: role, includeDescendants, updatedAt: sql`now()` })
        .where(inOrganization(id, organizationId))
        .returning();
      const after = {
        accessType: updated!.accessType,
        salesRepRole: updated!.salesRepRole,
        includeDescendants: updated!.includeDescendants,
      };
      const same =
        before.accessType === after.accessType &&
        before.salesRepRole === after.salesRepRole &&
        before.includeDescendants === after.includeDescendants;
      await recordChange(tx, ctx, {
        operation: "setSalesRepAccess",
        targetIds: [id],
        before,
        after,
        // Repeating the access a rep already has is audited but tells subscribers nothing new.
        event: same
          ? undefined
          : {
              type: "salesrep.access_changed",
              data: { organizationSalesRepId: id, salesRepId: updated!.salesRepId, ...after },
            },
      });
      return updated!;
    });
    return await viewOfAssignment(ctx, changed);
  } catch (error) {
    // The role deleted between the check and the update.
    if (isForeignKeyViolation(error)) throw unknownRole();
    throw error;
  }
}

/** Takes access away at once (roles are re-checked on every request); the record stays. */
export async function deactivateSalesRep(ctx: RequestContext, organizationSalesRepId: string): Promise<AssignmentView> {
  const organizationId = await ctx.auth.organizationId();
  const id = checkAssignmentId(organizationSalesRepId);
  const deactivated = await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ active: organizationSalesReps.active })
      .from(organizationSalesReps)
      .where(inOrganization(id, organizationId))
      .for("update");
    const [updated] = await tx
      .update(organizationSalesReps)
      .set({ active: false, updatedAt: sql`now()` })
      .where(inOrganization(id, organizationId))
      .returning();
    if (!updated) throw unknownAssignment();
    await recordChange(tx, ctx, {
      operation: "deactivateSalesRep",
      targetIds: [id],
      before,
      after: { active: updated.active },
      event: { type: "salesrep.deactivated", data: { organizationSalesRepId: id } },
    });
    return updated;
  });
  return viewOfAssignment(ctx, deactivated);
}

/** Restores access; the re-invitation goes out only when the rep was inactive, so a repeat sends nothing. */
export async function activateSalesRep(ctx: RequestContext, organizationSalesRepId: string): Promise<AssignmentView> {
  const organizationId = await ctx.auth.organizationId();
  const id = checkAssignmentId(organizationSalesRepId);
  const invitedBy = await inviterOf(ctx);
  const assignment = await ctx.db.transaction(async (tx) => {
    const [activated] = await tx
      .update(organizationSalesReps)
      .set({ active: true, updatedAt: sql`now()` })
      .where(and(inOrganization(id, organizationId), eq(organizationSalesReps.active, false)))
      .returning();
    if (!activated) {
      const [unchanged] = await tx.select().from(organizationSalesReps).where(inOrganization(id, organizationId));
      if (!unchanged) throw unknownAssignment();
      await recordChange(tx, ctx, { operation: "activateSalesRep", targetIds: [id] });
      return unchanged;
    }
    await recordChange(tx, ctx, {
      operation: "activateSalesRep",
      targetIds: [id],
      before: { active: false },
      after: { active: true },
      event: { type: "salesrep.activated", data: { organizationSalesRepId: id, salesRepId: activated.salesRepId } },
    });
    const [row] = await tx
      .select({ user: users })
      .from(salesReps)
      .innerJoin(users, eq(users.id, salesReps.userId))
      .where(eq(salesReps.id, activated.salesRepId));
    await inviteRep(tx, ctx, row!.user, [organizationId], { again: true, invitedBy });
    return activated;
  });
  return viewOfAssignment(ctx, assignment);
}

/**
 * Removes the assignment. The last one takes the rep record with it, and the user too when it
 * belongs nowhere else (no organization membership, no customer association).
 */
export async function removeSalesRep(
  ctx: RequestContext,
  organizationSalesRepId: string,
): Promise<RemoveSalesRepPayload> {
  const organizationId = await ctx.auth.organizationId();
  const id = checkAssignmentId(organizationSalesRepId);
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ salesRepId: organizationSalesReps.salesRepId, userId: salesReps.userId })
      .from(organizationSalesReps)
      .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
      .where(inOrganization(id, organizationId));
    if (!found) throw unknownAssignment();
    // Same lock order as adding a rep: the user row first.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, found.userId)).for("update");
    const deleted = await tx
      .delete(organizationSalesReps)
      .where(inOrganization(id, organizationId))
      .returning({ id: organizationSalesReps.id });
    if (deleted.length === 0) throw unknownAssignment();
    await recordChange(tx, ctx, {
      operation: "removeSalesRep",
      targetIds: [id, found.salesRepId, found.userId],
      before: { salesRepId: found.salesRepId, userId: found.userId },
      event: {
        type: "salesrep.removed",
        data: { organizationSalesRepId: id, salesRepId: found.salesRepId, userId: found.userId },
      },
    });

    const [remaining] = await tx
      .select({
        assignments:
          sql<number>`(select count(*) from ${organizationSalesReps} where ${organizationSalesReps.salesRepId} = ${found.salesRepId})`.mapWith(
            Number,
          ),
        memberships:
          sql<number>`(select count(*) from ${organizationUsers} where ${organizationUsers.userId} = ${found.userId})`.mapWith(
            Number,
          ),
        associations:
          sql<number>`(select count(*) from ${userCustomers} where ${userCustomers.userId} = ${found.userId})`.mapWith(
            Number,
          ),
      })
      .from(users)
      .where(eq(users.id, found.userId));
    if (remaining!.assignments > 0) return { removedOrganizationSalesRepId: id, removedSalesRepId: null };
    await tx.delete(salesReps).where(eq(salesReps.id, found.salesRepId));
    if (remaining!.memberships === 0 && remaining!.associations === 0) {
      await tx.delete(users).where(eq(users.id, found.userId));
    }
    return { removedOrganizationSalesRepId: id, removedSalesRepId: found.salesRepId };
  });
}

import { and, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import type { Transaction } from "../../db/client.js";
import { BadInputError, ConflictError } from "../../errors.js";
import { blockMail } from "../../mail/outbox.js";
import { InputCheck } from "../../validation.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { invitations } from "../invitations/invitations.tables.js";
import { organizations, organizationUsers } from "../organizations/organizations.tables.js";
import { hashInvitationToken } from "../people/person-mail.js";
import { organizationSalesReps, salesReps } from "../sales-reps/sales-reps.tables.js";
import { users } from "../users/users.tables.js";
import { leaveLinks } from "./memberships.tables.js";

/** What a person held in an organization before it was taken out. */
export interface RemovedMembership {
  userId: string;
  isAdmin: boolean;
  customerIds: string[];
  organizationSalesRepIds: string[];
}

const lastAdmin = () =>
  new ConflictError("The last admin of an organization cannot be removed", {
    userId: "is the organization's last admin",
  });

/**
 * Takes the user out of the organization: its membership, its customer association and its rep
 * assignment there (the rep record goes with its last assignment; the account stays), and its
 * open invitations and leave links. Roles are read on every request, so the next one has none.
 * The organization's last active admin stays (a conflict). Null when the user held nothing there.
 */
export async function removeFromOrganization(
  tx: Transaction,
  organizationId: string,
  userId: string,
): Promise<RemovedMembership | null> {
  // Same lock order as adding a member or a rep: the user row first, then the admin rows.
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
  const members = await tx
    .select({
      userId: organizationUsers.userId,
      isAdmin: organizationUsers.isAdmin,
      pendingSince: organizationUsers.pendingSince,
    })
    .from(organizationUsers)
    .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.isAdmin, true)))
    .for("update");
  const [membership] = await tx
    .select({ isAdmin: organizationUsers.isAdmin, pendingSince: organizationUsers.pendingSince })
    .from(organizationUsers)
    .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.userId, userId)))
    .for("update");
  const activeAdmins = members.filter((admin) => admin.pendingSince === null);
  if (membership?.isAdmin && membership.pendingSince === null && activeAdmins.length === 1) throw lastAdmin();

  const associations = await tx
    .delete(userCustomers)
    .where(and(eq(userCustomers.organizationId, organizationId), eq(userCustomers.userId, userId)))
    .returning({ customerId: userCustomers.customerId });
  const assignments = await tx
    .delete(organizationSalesReps)
    .where(
      and(
        eq(organizationSalesReps.organizationId, organizationId),
        inArray(organizationSalesReps.salesRepId, repsOf(tx, userId)),
      ),
    )
    .returning({ id: organizationSalesReps.id, salesRepId: organizationSalesReps.salesRepId });
  await dropRepsWithoutAssignments(tx, assignments);
  await tx
    .delete(organizationUsers)
    .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.userId, userId)));
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        eq(invitations.userId, userId),
        isNull(invitations.usedAt),
        isNull(invitations.revokedAt),
      ),
    );
  await tx
    .update(leaveLinks)
    .set({ usedAt: sql`now()` })
    .where(
      and(eq(leaveLinks.organizationId, organizationId), eq(leaveLinks.userId, userId), isNull(leaveLinks.usedAt)),
    );

  if (!membership && associations.length === 0 && assignments.length === 0) return null;
  return {
    userId,
    isAdmin: membership?.isAdmin ?? false,
    customerIds: associations.map((row) => row.customerId),
    organizationSalesRepIds: assignments.map((row) => row.id),
  };
}

const repsOf = (tx: Transaction, userId: string) =>
  tx.select({ id: salesReps.id }).from(salesReps).where(eq(salesReps.userId, userId));

/** Whether the user's membership or rep assignment in the organization still waits for its consent. */
export async function isPending(tx: Transaction, organizationId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({
      pending: sql<boolean>`exists(${tx
        .select({ one: sql`1` })
        .from(organizationUsers)
        .where(
          and(
            eq(organizationUsers.organizationId, organizationId),
            eq(organizationUsers.userId, userId),
            isNotNull(organizationUsers.pendingSince),
          ),
        )}) or exists(${tx
        .select({ one: sql`1` })
        .from(organizationSalesReps)
        .where(
          and(
            eq(organizationSalesReps.organizationId, organizationId),
            inArray(organizationSalesReps.salesRepId, repsOf(tx, userId)),
            isNotNull(organizationSalesReps.pendingSince),
          ),
        )})`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row?.pending ?? false;
}

/**
 * Withdraws what still waits for the person's consent in the organization (a revoked invitation
 * takes its pending membership and assignment with it); answers whether there was anything.
 */
export async function dropPendingMembership(tx: Transaction, organizationId: string, userId: string): Promise<boolean> {
  const memberships = await tx
    .delete(organizationUsers)
    .where(
      and(
        eq(organizationUsers.organizationId, organizationId),
        eq(organizationUsers.userId, userId),
        isNotNull(organizationUsers.pendingSince),
      ),
    )
    .returning({ id: organizationUsers.id });
  const assignments = await tx
    .delete(organizationSalesReps)
    .where(
      and(
        eq(organizationSalesReps.organizationId, organizationId),
        inArray(organizationSalesReps.salesRepId, repsOf(tx, userId)),
        isNotNull(organizationSalesReps.pendingSince),
      ),
    )
    .returning({ salesRepId: organizationSalesReps.salesRepId });
  await dropRepsWithoutAssignments(tx, assignments);
  if (memberships.length > 0) {
    await tx
      .delete(userCustomers)
      .where(and(eq(userCustomers.organizationId, organizationId), eq(userCustomers.userId, userId)));
  }
  return memberships.length + assignments.length > 0;
}

/** A rep record exists while it has an assignment. */
async function dropRepsWithoutAssignments(tx: Transaction, assignments: { salesRepId: string }[]): Promise<void> {
  for (const { salesRepId } of assignments) {
    await tx
      .delete(salesReps)
      .where(
        and(
          eq(salesReps.id, salesRepId),
          sql`not exists (select 1 from ${organizationSalesReps} where ${organizationSalesReps.salesRepId} = ${salesRepId})`,
        ),
      );
  }
}

/** DELETE /api/organizations/users: an admin takes a person out of its organization. */
export async function removeOrganizationUser(ctx: RequestContext, userId: string): Promise<RemovedMembership> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const id = check.text("userId", userId, { max: 100 });
  check.done();
  return ctx.db.transaction(async (tx) => {
    const removed = await removeFromOrganization(tx, organizationId, id);
    if (!removed) throw BadInputError.field("userId", "does not match a user of your organization");
    await recordChange(tx, ctx, {
      operation: "removeOrganizationUser",
      targetIds: [id, ...removed.organizationSalesRepIds],
      before: {
        isAdmin: removed.isAdmin,
        customerIds: removed.customerIds,
        organizationSalesRepIds: removed.organizationSalesRepIds,
      },
      event: { type: "user.removed", data: { userId: id, left: false } },
    });
    return removed;
  });
}

export interface LeftOrganization {
  organizationName: string;
  blocked: boolean;
}

const invalidLeaveToken = () => BadInputError.field("token", "is invalid, already used or expired");

/**
 * The way out a membership e-mail carries: the token takes its person out of its organization,
 * and with `blockMail` the organization's later mail to that address is suppressed.
 */
export async function leaveOrganization(
  ctx: RequestContext,
  token: string,
  block?: boolean | null,
): Promise<LeftOrganization> {
  const check = new InputCheck();
  const given = check.text("token", token, { max: 200 });
  check.done();
  return ctx.db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(leaveLinks)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(leaveLinks.tokenHash, hashInvitationToken(given)),
          isNull(leaveLinks.usedAt),
          gt(leaveLinks.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: leaveLinks.userId, organizationId: leaveLinks.organizationId });
    if (!claimed) throw invalidLeaveToken();
    const { userId, organizationId } = claimed;
    const removed = await removeFromOrganization(tx, organizationId, userId);
    const [person] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (block) await blockMail(tx, organizationId, person!.email);
    await recordChange(tx, ctx, {
      operation: "leaveOrganization",
      organizationId,
      actor: { kind: "user", id: userId, roles: [] },
      targetIds: [userId],
      before: removed ? { isAdmin: removed.isAdmin, customerIds: removed.customerIds } : null,
      after: { blockedMail: Boolean(block) },
      event: removed ? { type: "user.removed", data: { userId, left: true } } : undefined,
    });
    const [organization] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    return { organizationName: organization!.name, blocked: Boolean(block) };
  });
}

import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { BadInputError, NotFoundError } from "../../errors.js";
import { invitationReminder } from "../../mail/templates.js";
import { paginate, totalCountColumn, type PageResult } from "../../pagination.js";
import { InputCheck } from "../../validation.js";
import { apiClients } from "../api-clients/api-clients.tables.js";
import { dropPendingMembership, isPending } from "../memberships/memberships.service.js";
import { inviterOf, mailPerson, roleNames } from "../people/person-mail.js";
import { users } from "../users/users.tables.js";
import { invitationListSpec, invitationState, type InvitationState } from "./invitation-list.js";
import { invitations, type InvitationRow } from "./invitations.tables.js";
import type { Invitation, InvitationsArgs } from "./invitations.types.js";
import { byKey } from "../../db/tenant-key.js";

const inviters = alias(users, "inviter");

function selectInvitations(db: Executor) {
  return db
    .select({
      invitation: invitations,
      email: users.email,
      state: invitationState,
      inviterName: sql<string | null>`coalesce(
        nullif(trim(${inviters.firstName} || ' ' || ${inviters.lastName}), ''), ${inviters.email}, ${apiClients.name})`,
      totalCount: totalCountColumn,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .leftJoin(inviters, and(eq(invitations.invitedByKind, "user"), eq(inviters.id, invitations.invitedById)))
    .leftJoin(
      apiClients,
      and(
        eq(invitations.invitedByKind, "client"),
        eq(apiClients.organizationId, invitations.organizationId),
        eq(apiClients.id, invitations.invitedById),
      ),
    );
}

type Selected = { invitation: InvitationRow; email: string; state: InvitationState; inviterName: string | null };

function toInvitation({ invitation, email, state, inviterName }: Selected): Invitation {
  return {
    id: invitation.id,
    userId: invitation.userId,
    email,
    role: invitation.role,
    state,
    invitedBy:
      invitation.invitedById && invitation.invitedByKind
        ? { kind: invitation.invitedByKind, id: invitation.invitedById, name: inviterName }
        : null,
    createdAt: invitation.createdAt.toISOString(),
    sentAt: invitation.sentAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

/** The caller's organization's invitations, newest first unless asked otherwise. */
export async function listInvitations(ctx: RequestContext, args: InvitationsArgs): Promise<PageResult<Invitation>> {
  const organizationId = await ctx.auth.organizationId();
  const where = and(
    eq(invitations.organizationId, organizationId),
    args.state ? sql`${invitationState} = ${args.state}` : undefined,
  );
  const page = await paginate({ ...args, sortDirection: args.sortDirection ?? "desc" }, invitationListSpec, (window) =>
    selectInvitations(ctx.db)
      .where(where)
      .orderBy(...window.orderBy)
      .limit(window.limit)
      .offset(window.offset),
  );
  return { ...page, items: page.items.map(toInvitation) };
}

const unknownInvitation = () => new NotFoundError("id does not match an invitation of your organization");

async function findInvitation(db: Executor, organizationId: string, id: string): Promise<Selected | undefined> {
  const [found] = await selectInvitations(db).where(byKey(invitations, { organizationId, id }));
  return found;
}

function checkId(id: string): string {
  const check = new InputCheck();
  const given = check.text("id", id, { max: 100 });
  check.done();
  return given;
}

/**
 * Mails a pending or expired invitation again with a new link and a new expiry; the old link
 * stops working. The mail counts against the organization's caps for that address like any other.
 */
export async function resendInvitation(ctx: RequestContext, id: string): Promise<Invitation> {
  const organizationId = await ctx.auth.organizationId();
  const invitationId = checkId(id);
  const invitedBy = await inviterOf(ctx);
  return ctx.db.transaction(async (tx) => {
    await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(byKey(invitations, { organizationId, id: invitationId }))
      .for("update");
    const found = await findInvitation(tx, organizationId, invitationId);
    if (!found) throw unknownInvitation();
    if (found.state === "accepted" || found.state === "revoked") {
      throw BadInputError.field("id", `is ${found.state}; only a pending or expired invitation can be sent again`);
    }
    const [user] = await tx.select().from(users).where(eq(users.id, found.invitation.userId));
    const role = found.invitation.role ?? "Member";
    await mailPerson(tx, ctx.config, {
      user: user!,
      organizationIds: [organizationId],
      invite: true,
      role,
      invitedBy,
      announce: true,
      pending: await isPending(tx, organizationId, user!.id),
      renewInvitation: invitationId,
      render: (data) => invitationReminder({ ...data, roleName: roleNames[role] }),
    });
    await recordChange(tx, ctx, { operation: "resendInvitation", targetIds: [invitationId, user!.id] });
    return toInvitation((await findInvitation(tx, organizationId, invitationId))!);
  });
}

/**
 * Revokes a pending or expired invitation: its link stops working, and a membership that was
 * still waiting for the person's consent is withdrawn with it.
 */
export async function revokeInvitation(ctx: RequestContext, id: string): Promise<Invitation> {
  const organizationId = await ctx.auth.organizationId();
  const invitationId = checkId(id);
  return ctx.db.transaction(async (tx) => {
    await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(byKey(invitations, { organizationId, id: invitationId }))
      .for("update");
    const found = await findInvitation(tx, organizationId, invitationId);
    if (!found) throw unknownInvitation();
    if (found.state === "accepted" || found.state === "revoked") {
      throw BadInputError.field("id", `is ${found.state}; only a pending or expired invitation can be revoked`);
    }
    await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(byKey(invitations, { organizationId, id: invitationId }));
    const withdrawn = await dropPendingMembership(tx, organizationId, found.invitation.userId);
    await recordChange(tx, ctx, {
      operation: "revokeInvitation",
      targetIds: [invitationId, found.invitation.userId],
      before: { state: found.state },
      after: { state: "revoked", pendingMembershipWithdrawn: withdrawn },
    });
    return toInvitation((await findInvitation(tx, organizationId, invitationId))!);
  });
}

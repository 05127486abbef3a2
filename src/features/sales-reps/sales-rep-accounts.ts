import { eq } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import type { Transaction } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { salesRepInvitation } from "../../mail/templates.js";
import { mailPerson, type Inviter } from "../people/person-mail.js";
import { users, type UserRow } from "../users/users.tables.js";
import { salesReps, type SalesRepRow } from "./sales-reps.tables.js";

interface Creator {
  name: string;
  type: string;
}

export async function creatorOf(ctx: RequestContext): Promise<Creator> {
  const actor = await ctx.auth.actor();
  if (actor.kind === "client") return { name: actor.clientId, type: "client" };
  const { userId } = actor;
  const [caller] = await ctx.db
    .select({ firstName: users.firstName, lastName: users.lastName, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  const name = caller ? `${caller.firstName} ${caller.lastName}`.trim() || caller.email : userId;
  return { name, type: "user" };
}

/** The user's rep record, created on first assignment with who created it. */
export async function ensureRep(
  tx: Transaction,
  userId: string,
  creator: Creator,
): Promise<{ rep: SalesRepRow; created: boolean }> {
  const [created] = await tx
    .insert(salesReps)
    .values({ id: newId(), userId, createdByName: creator.name, createdByType: creator.type })
    .onConflictDoNothing({ target: salesReps.userId })
    .returning();
  if (created) return { rep: created, created: true };
  const [rep] = await tx.select().from(salesReps).where(eq(salesReps.userId, userId));
  return { rep: rep!, created: false };
}

export interface RepInvitation {
  again: boolean;
  invitedBy: Inviter;
  /** A new assignment of one organization: the mail says who made it and carries a way out. */
  announce?: boolean;
  /** The assignment waits for the person's consent (MEMBERSHIP_CONSENT=required). */
  pending?: boolean;
}

/**
 * The invitation (or re-invitation) e-mail, in the transaction of the change: a password link
 * while the user has no password, else a sign-in link.
 */
export function inviteRep(
  tx: Transaction,
  ctx: RequestContext,
  user: UserRow,
  organizationIds: string[],
  invitation: RepInvitation,
): Promise<void> {
  return mailPerson(tx, ctx.config, {
    user,
    organizationIds,
    invite: true,
    role: "SalesRep",
    invitedBy: invitation.invitedBy,
    announce: invitation.announce,
    pending: invitation.pending,
    render: (data) => salesRepInvitation({ ...data, again: invitation.again }),
  });
}

import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { hashPassword, passwordProblem } from "../../auth/passwords.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import type { Transaction } from "../../db/client.js";
import { BadInputError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { hashInvitationToken } from "../people/person-mail.js";
import { organizationUsers } from "../organizations/organizations.tables.js";
import { organizationSalesReps, salesReps } from "../sales-reps/sales-reps.tables.js";
import { users, type UserRow } from "../users/users.tables.js";
import { invitations } from "./invitations.tables.js";

const invalidToken = () => BadInputError.field("token", "is invalid, already used, revoked or expired");

/**
 * Accepts an invitation: sets the password of an account that has none (a password is then
 * required) and makes the invitation's pending membership and rep assignment active. The token
 * works once, only before it expires and while it is not revoked. An account that has a password
 * keeps it: an old link can never change a password.
 */
export async function acceptInvitation(ctx: RequestContext, token: string, password?: string | null): Promise<UserRow> {
  const check = new InputCheck();
  const given = check.text("token", token, { max: 200 });
  const problem = password ? passwordProblem(password) : null;
  if (problem) check.fail("password", problem);
  check.done();
  const passwordHash = password ? await hashPassword(password) : null;

  return ctx.db.transaction(async (tx) => {
    // Claiming the row and checking it in one statement makes a second use fail even when racing.
    const [claimed] = await tx
      .update(invitations)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(invitations.tokenHash, hashInvitationToken(given)),
          isNull(invitations.usedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: invitations.userId, organizationId: invitations.organizationId });
    if (!claimed) throw invalidToken();
    const [account] = await tx.select().from(users).where(eq(users.id, claimed.userId)).for("update");
    const settingPassword = !account!.passwordHash;
    if (settingPassword && !passwordHash) {
      throw BadInputError.field("password", "is required: choose one to finish setting up the account");
    }
    const [user] = await tx
      .update(users)
      .set({
        ...(settingPassword ? { passwordHash } : {}),
        emailVerified: true,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, claimed.userId))
      .returning();
    await activate(tx, claimed.userId, claimed.organizationId);
    await recordChange(tx, ctx, {
      operation: "acceptInvitation",
      organizationId: claimed.organizationId,
      actor: { kind: "user", id: claimed.userId, roles: [] },
      targetIds: [claimed.userId],
      before: { emailVerified: account!.emailVerified },
      after: { emailVerified: true },
      event: { type: "invitation.accepted", data: { userId: claimed.userId } },
    });
    return user!;
  });
}

/** Ends the pending state of the user's membership and rep assignment in the organization. */
async function activate(tx: Transaction, userId: string, organizationId: string): Promise<void> {
  await tx
    .update(organizationUsers)
    .set({ pendingSince: null })
    .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.userId, userId)));
  await tx
    .update(organizationSalesReps)
    .set({ pendingSince: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(organizationSalesReps.organizationId, organizationId),
        inArray(
          organizationSalesReps.salesRepId,
          tx.select({ id: salesReps.id }).from(salesReps).where(eq(salesReps.userId, userId)),
        ),
      ),
    );
}

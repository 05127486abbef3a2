import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { hashPassword, passwordProblem } from "../../auth/passwords.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { hashInvitationToken } from "../people/person-mail.js";
import { organizationUsers } from "../organizations/organizations.tables.js";
import { users, type UserRow } from "../users/users.tables.js";
import { invitations } from "./invitations.tables.js";

const invalidToken = () => BadInputError.field("token", "is invalid, already used or expired");

/** Sets the invited user's password; the token works once and only before it expires. */
export async function acceptInvitation(ctx: RequestContext, token: string, password: string): Promise<UserRow> {
  const check = new InputCheck();
  const given = check.text("token", token, { max: 200 });
  const problem = passwordProblem(password ?? "");
  if (problem) check.fail("password", problem);
  check.done();
  const passwordHash = await hashPassword(password);

  return ctx.db.transaction(async (tx) => {
    // Claiming the row and checking it in one statement makes a second use fail even when racing.
    const [claimed] = await tx
      .update(invitations)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(invitations.tokenHash, hashInvitationToken(given)),
          isNull(invitations.usedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: invitations.userId });
    if (!claimed) throw invalidToken();
    const [user] = await tx
      .update(users)
      .set({ passwordHash, emailVerified: true, updatedAt: sql`now()` })
      .where(eq(users.id, claimed.userId))
      .returning();
    // The invitation belongs to the account, so each organization it is a member of hears of it.
    const memberships = await tx
      .select({ organizationId: organizationUsers.organizationId })
      .from(organizationUsers)
      .where(eq(organizationUsers.userId, claimed.userId));
    for (const { organizationId } of memberships) {
      await recordChange(tx, ctx, {
        operation: "acceptInvitation",
        organizationId,
        actor: { kind: "user", id: claimed.userId, roles: [] },
        targetIds: [claimed.userId],
        before: { emailVerified: false },
        after: { emailVerified: true },
        event: { type: "invitation.accepted", data: { userId: claimed.userId } },
      });
    }
    return user!;
  });
}

import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { hashPassword, passwordProblem } from "../../auth/passwords.js";
import type { Config } from "../../config.js";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import type { RequestContext } from "../../context.js";
import { BadInputError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { users } from "../users/users.tables.js";
import { invitations } from "./invitations.tables.js";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Issues a single-use, expiring link for the user to set a password. Only the token's hash is
 * stored; a newer invitation replaces the user's outstanding ones. Call it inside the transaction
 * that also enqueues the e-mail carrying the link.
 */
export async function createInvitation(
  tx: Executor,
  config: Pick<Config, "INVITATION_URL" | "INVITATION_TTL_HOURS">,
  userId: string,
): Promise<{ acceptUrl: string }> {
  const token = randomBytes(32).toString("base64url");
  await tx
    .update(invitations)
    .set({ usedAt: sql`now()` })
    .where(and(eq(invitations.userId, userId), isNull(invitations.usedAt)));
  await tx.insert(invitations).values({
    id: newId(),
    userId,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(hours => ${config.INVITATION_TTL_HOURS})`,
  });
  const url = new URL(config.INVITATION_URL);
  url.searchParams.set("token", token);
  return { acceptUrl: url.toString() };
}

const invalidToken = () => BadInputError.field("token", "is invalid, already used or expired");

/** Sets the invited user's password; the token works once and only before it expires. */
export async function acceptInvitation(ctx: RequestContext, token: string, password: string): Promise<boolean> {
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
          eq(invitations.tokenHash, hashToken(given)),
          isNull(invitations.usedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: invitations.userId });
    if (!claimed) throw invalidToken();
    await tx
      .update(users)
      .set({ passwordHash, emailVerified: true, updatedAt: sql`now()` })
      .where(eq(users.id, claimed.userId));
    return true;
  });
}

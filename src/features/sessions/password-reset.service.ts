import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { hashPassword, passwordProblem } from "../../auth/passwords.js";
import type { Config } from "../../config.js";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { BadInputError, TooManyRequestsError } from "../../errors.js";
import { enqueueMail, recipientCaps } from "../../mail/outbox.js";
import { passwordReset } from "../../mail/templates.js";
import { InputCheck } from "../../validation.js";
import { findUserByEmail } from "../people/people.js";
import { hashInvitationToken } from "../people/person-mail.js";
import { users, type UserRow } from "../users/users.tables.js";
import { revokeAllSessions } from "./revocation.js";
import { passwordResets } from "./sessions.tables.js";
import { clearSignInFailures, firstLockoutNotice } from "./sign-in-attempts.js";

/** Reset mails one address may be sent an hour, whoever asks: no one can flood a mailbox with them. */
export const resetRequestsPerAddress = 3;
const resetRequestWindowSeconds = 60 * 60;

type ResetConfig = Pick<
  Config,
  "PASSWORD_RESET_URL" | "PASSWORD_RESET_TTL_MINUTES" | "MAIL_RECIPIENT_HOURLY_LIMIT" | "MAIL_RECIPIENT_DAILY_LIMIT"
>;

const addressKey = (email: string) =>
  `passwordReset:address:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;

/**
 * Queues a mail with a single-use link that sets a new password, in the caller's transaction. Only
 * the token's SHA-256 is stored; the link expires after PASSWORD_RESET_TTL_MINUTES.
 */
export async function mailPasswordReset(
  tx: Executor,
  config: ResetConfig,
  user: Pick<UserRow, "id" | "email" | "firstName">,
  options: { locked?: boolean } = {},
): Promise<void> {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(passwordResets).values({
    id: newId(),
    userId: user.id,
    tokenHash: hashInvitationToken(token),
    expiresAt: sql`now() + make_interval(mins => ${config.PASSWORD_RESET_TTL_MINUTES})`,
  });
  const url = new URL(config.PASSWORD_RESET_URL);
  url.searchParams.set("token", token);
  await enqueueMail(
    tx,
    {
      to: user.email,
      ...passwordReset({
        firstName: user.firstName,
        resetUrl: url.toString(),
        ttlMinutes: config.PASSWORD_RESET_TTL_MINUTES,
        locked: options.locked,
      }),
    },
    recipientCaps(config),
  );
}

/**
 * Mails a reset link when the address belongs to an account. The answer is the same either way,
 * and the per-address limit counts unknown addresses alike, so neither says which accounts exist.
 */
export async function requestPasswordReset(ctx: RequestContext, email: string): Promise<boolean> {
  const check = new InputCheck();
  const address = check.text("email", email, { max: 254 });
  check.done();
  const decision = await ctx.limiter.hit(addressKey(address), resetRequestsPerAddress, resetRequestWindowSeconds);
  if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfter);
  const user = await findUserByEmail(ctx.db, address);
  if (user) await ctx.db.transaction((tx) => mailPasswordReset(tx, ctx.config, user));
  return true;
}

/**
 * Tells the owner of an address that failed sign-ins locked it, once a lockout window, with a reset
 * link: the owner can get in at once, and learns that someone is guessing.
 */
export async function mailLockoutNotice(ctx: RequestContext, address: string): Promise<void> {
  if (!(await firstLockoutNotice(ctx, address))) return;
  const user = await findUserByEmail(ctx.db, address);
  if (user) await ctx.db.transaction((tx) => mailPasswordReset(tx, ctx.config, user, { locked: true }));
}

const invalidToken = () => BadInputError.field("token", "is invalid, already used or expired");

/**
 * Sets a new password with a reset link's token. The token works once and only before it expires;
 * using it ends every other outstanding link of the account and every session issued before, as a
 * password change does, and lifts the account's sign-in lockout (the owner proved the mailbox).
 */
export async function resetPassword(ctx: RequestContext, token: string, password: string): Promise<boolean> {
  const check = new InputCheck();
  const given = check.text("token", token, { max: 200 });
  const problem = passwordProblem(password);
  if (problem) check.fail("password", problem);
  check.done();
  const passwordHash = await hashPassword(password);
  const email = await ctx.db.transaction(async (tx) => {
    // Claiming and checking in one statement makes a second use fail even when racing.
    const [claimed] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(passwordResets.tokenHash, hashInvitationToken(given)),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: passwordResets.userId });
    if (!claimed) throw invalidToken();
    await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.userId, claimed.userId), isNull(passwordResets.usedAt)));
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, claimed.userId))
      .returning({ email: users.email });
    await revokeAllSessions(tx, claimed.userId);
    return user!.email;
  });
  await clearSignInFailures(ctx, { address: email });
  return true;
}

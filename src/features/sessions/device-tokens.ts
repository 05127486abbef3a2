import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { users } from "../users/users.tables.js";
import { deviceTokens } from "./sessions.tables.js";

/** A device token lasts this long: a client that signs in every few months keeps being recognised. */
const deviceTokenDays = 90;

export const hashDeviceToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new device token for the user; the user's expired ones go, so the table stays small. */
export async function issueDeviceToken(db: Executor, userId: string): Promise<string> {
  const token = `gwdt_${randomBytes(32).toString("base64url")}`;
  await db.delete(deviceTokens).where(and(eq(deviceTokens.userId, userId), lt(deviceTokens.expiresAt, sql`now()`)));
  await db.insert(deviceTokens).values({
    tokenHash: hashDeviceToken(token),
    userId,
    expiresAt: sql`now() + make_interval(days => ${deviceTokenDays})`,
  });
  return token;
}

/** Whether the token is a live device token of the account with this e-mail address. */
export async function isDeviceTokenOf(db: Executor, token: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql`1` })
    .from(deviceTokens)
    .innerJoin(users, eq(users.id, deviceTokens.userId))
    .where(
      and(
        eq(deviceTokens.tokenHash, hashDeviceToken(token)),
        gt(deviceTokens.expiresAt, sql`now()`),
        sql`lower(${users.email}) = lower(${email.trim()})`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { users } from "../users/users.tables.js";

/**
 * Refuses every token of the user issued before now: signing out of every session, and a password
 * change or reset. The check is the role statement's (account-directory), so every instance sees it
 * on its next request.
 */
export async function revokeAllSessions(db: Executor, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ sessionsValidAfter: new Date(), updatedAt: sql`now()` })
    .where(eq(users.id, userId));
}

import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { users } from "./users.tables.js";

export type UserRow = typeof users.$inferSelect;

/** E-mail addresses are unique platform-wide, compared case-insensitively. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`)
    .limit(1);
  return user;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export interface NewUser {
  email: string;
  firstName: string;
  lastName?: string | null;
  phoneNumber?: string | null;
  passwordHash?: string | null;
}

export async function insertUser(tx: Executor, user: NewUser): Promise<UserRow> {
  const [created] = await tx
    .insert(users)
    .values({
      id: newId(),
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName ?? "",
      phoneNumber: user.phoneNumber ?? null,
      passwordHash: user.passwordHash ?? null,
    })
    .returning();
  return created!;
}

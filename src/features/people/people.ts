import { eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import type { InputCheck } from "../../validation.js";
import { organizationUsers } from "../organizations/organizations.tables.js";
import { users, type UserRow } from "../users/users.tables.js";

/**
 * The one owner of people and memberships: who a user is, how one is found or created, and how a
 * user joins an organization. Callers keep only their own policy (a password proof, a role).
 */

export interface Person {
  email: string;
  firstName: string;
  lastName: string;
  phoneNumber: string | null;
}

export interface PersonInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
}

/** The checks every operation that names a person applies; `prefix` is the input's field path. */
export function checkPerson(
  check: InputCheck,
  input: PersonInput,
  options: { prefix?: string; lastNameRequired?: boolean } = {},
): Person {
  const field = (name: string) => (options.prefix ? `${options.prefix}.${name}` : name);
  return {
    firstName: check.text(field("firstName"), input.firstName, { max: 100 }),
    lastName: options.lastNameRequired
      ? check.text(field("lastName"), input.lastName, { max: 100 })
      : (check.optionalText(field("lastName"), input.lastName, { max: 100 }) ?? ""),
    email: check.email(field("email"), input.email),
    phoneNumber: check.phone(field("phoneNumber"), input.phoneNumber) ?? null,
  };
}

const sameEmail = (email: string) => sql`lower(${users.email}) = lower(${email.trim()})`;

/** E-mail addresses are unique platform-wide, compared case-insensitively. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(sameEmail(email)).limit(1);
  return user;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export interface FoundOrCreated {
  user: UserRow;
  created: boolean;
}

export interface FindOrCreateOptions {
  /** Runs for a registered address before it is reused: a caller's proof of ownership. */
  proveExisting?: (user: UserRow) => Promise<void>;
  /** The password hash a new account starts with; asked only when the account is created. */
  newPasswordHash?: () => Promise<string | null>;
}

/**
 * Finds the user with this e-mail (any case) or creates it, inside the caller's transaction, and
 * locks its row until that transaction ends: removing a user's last membership or assignment
 * locks the same row first, so the two never interleave. An existing user keeps its own name,
 * phone and credentials. Two requests creating the same address at once both end with one row.
 */
export async function findOrCreateUser(
  tx: Transaction,
  person: Person,
  options: FindOrCreateOptions = {},
): Promise<FoundOrCreated> {
  const lockExisting = async () => {
    const [user] = await tx.select().from(users).where(sameEmail(person.email)).for("update");
    return user;
  };
  const existing = await lockExisting();
  if (existing) {
    await options.proveExisting?.(existing);
    return { user: existing, created: false };
  }
  const passwordHash = (await options.newPasswordHash?.()) ?? null;
  const [created] = await tx
    .insert(users)
    .values({ id: newId(), ...person, passwordHash })
    .onConflictDoNothing()
    .returning();
  if (created) return { user: created, created: true };
  // Another transaction registered the address meanwhile; ON CONFLICT waited for it to commit.
  const winner = (await lockExisting())!;
  await options.proveExisting?.(winner);
  return { user: winner, created: false };
}

/**
 * Adds the user to the organization, as an admin when `admin`. Answers whether anything changed:
 * false when the user was already a member (and already an admin, when asked for one).
 */
export async function addMember(
  tx: Executor,
  organizationId: string,
  userId: string,
  options: { admin: boolean },
): Promise<boolean> {
  const insert = tx.insert(organizationUsers).values({ id: newId(), organizationId, userId, isAdmin: options.admin });
  const target = [organizationUsers.organizationId, organizationUsers.userId];
  const changed = options.admin
    ? await insert
        .onConflictDoUpdate({ target, set: { isAdmin: true }, setWhere: eq(organizationUsers.isAdmin, false) })
        .returning({ id: organizationUsers.id })
    : await insert.onConflictDoNothing({ target }).returning({ id: organizationUsers.id });
  return changed.length > 0;
}

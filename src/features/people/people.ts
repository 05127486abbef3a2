import { and, eq, sql } from "drizzle-orm";
import type { Config } from "../../config.js";
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

/** Whether the user is a member of the organization (pending or not), read before a change adds it. */
export async function isMember(db: Executor, organizationId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: organizationUsers.id })
    .from(organizationUsers)
    .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.userId, userId)));
  return row !== undefined;
}

/**
 * Whether a new membership of this account waits for the person's consent: under
 * MEMBERSHIP_CONSENT=required an account that existed before the request does; a new one does not.
 */
export function needsConsent(config: Pick<Config, "MEMBERSHIP_CONSENT">, found: FoundOrCreated): boolean {
  return config.MEMBERSHIP_CONSENT === "required" && !found.created;
}

/**
 * What an answer about a person may show: the stored details for someone who was already a member
 * of the caller's organization, else only what the caller sent (an admin must not read another
 * organization's people by typing their e-mail).
 */
export function shownPerson<T extends Person>(stored: T, sent: Person, wasMember: boolean): T {
  if (wasMember) return stored;
  return {
    ...stored,
    email: sent.email,
    firstName: sent.firstName,
    lastName: sent.lastName,
    phoneNumber: sent.phoneNumber,
  };
}

/**
 * Adds the user to the organization, as an admin when `admin`, pending the person's consent when
 * `pending` (a row that already exists keeps its state). Answers whether anything changed: false
 * when the user was already a member (and already an admin, when asked for one).
 */
export async function addMember(
  tx: Executor,
  organizationId: string,
  userId: string,
  options: { admin: boolean; pending?: boolean },
): Promise<boolean> {
  const insert = tx.insert(organizationUsers).values({
    id: newId(),
    organizationId,
    userId,
    isAdmin: options.admin,
    pendingSince: options.pending ? sql`now()` : null,
  });
  const target = [organizationUsers.organizationId, organizationUsers.userId];
  const changed = options.admin
    ? await insert
        .onConflictDoUpdate({ target, set: { isAdmin: true }, setWhere: eq(organizationUsers.isAdmin, false) })
        .returning({ id: organizationUsers.id })
    : await insert.onConflictDoNothing({ target }).returning({ id: organizationUsers.id });
  return changed.length > 0;
}

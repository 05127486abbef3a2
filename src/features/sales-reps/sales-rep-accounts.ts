import { eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import type { RequestContext } from "../../context.js";
import type { InputCheck } from "../../validation.js";
import { enqueueMail } from "../../mail/outbox.js";
import { salesRepInvitation } from "../../mail/templates.js";
import { createInvitation } from "../invitations/invitations.service.js";
import { organizations } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";
import type { SalesRepRow, UserRow } from "./sales-reps.loaders.js";
import { salesReps } from "./sales-reps.tables.js";

/** The user behind the caller's token, without a lookup when an access token already names it. */
export async function callerUserId(ctx: RequestContext): Promise<string> {
  return ctx.auth.tokenKind === "access" ? (await ctx.auth.access()).userId : (await ctx.auth.identity()).userId;
}

interface Person {
  email: string;
  firstName: string;
  lastName: string;
  phoneNumber: string | null;
}

interface Creator {
  name: string;
  type: string;
}

export async function creatorOf(ctx: RequestContext): Promise<Creator> {
  const userId = await callerUserId(ctx);
  const [caller] = await ctx.db
    .select({ firstName: users.firstName, lastName: users.lastName, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  const name = caller ? `${caller.firstName} ${caller.lastName}`.trim() || caller.email : userId;
  return { name, type: "user" };
}

/**
 * Finds the user with this e-mail (any case) or creates it, and locks its row. Removal locks the
 * same row first, so an assignment being added and the user's last assignment being removed
 * never interleave; an existing user keeps its own name and phone.
 */
export async function lockOrCreateUser(tx: Transaction, person: Person): Promise<UserRow> {
  const lockExisting = async () => {
    const [user] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = lower(${person.email})`)
      .for("update");
    return user;
  };
  const existing = await lockExisting();
  if (existing) return existing;
  const [created] = await tx
    .insert(users)
    .values({ id: newId(), ...person })
    .onConflictDoNothing()
    .returning();
  // Another request registered the address at the same moment: use its row.
  return created ?? (await lockExisting())!;
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

/**
 * The invitation (or re-invitation) e-mail, in the transaction of the change: a password link
 * while the user has no password, else a sign-in link.
 */
export async function inviteRep(
  tx: Transaction,
  ctx: RequestContext,
  user: UserRow,
  organizationIds: string[],
  again: boolean,
): Promise<void> {
  const rows = await tx
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(inArray(organizations.id, organizationIds));
  const names = organizationIds.map((id) => rows.find((row) => row.id === id)!.name);
  const organizationName = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0]!;
  const acceptUrl = user.passwordHash ? undefined : (await createInvitation(tx, ctx.config, user.id)).acceptUrl;
  await enqueueMail(tx, {
    to: user.email,
    organizationId: organizationIds[0],
    ...salesRepInvitation({
      firstName: user.firstName,
      organizationName,
      acceptUrl,
      signInUrl: ctx.config.SIGN_IN_URL,
      again,
    }),
  });
}

export function checkPerson(
  check: InputCheck,
  input: { firstName: string; lastName?: string | null; email: string; phoneNumber?: string | null },
) {
  return {
    firstName: check.text("firstName", input.firstName, { max: 100 }),
    lastName: check.optionalText("lastName", input.lastName, { max: 100 }) ?? "",
    email: check.email("email", input.email),
    phoneNumber: check.phone("phoneNumber", input.phoneNumber) ?? null,
  };
}

import { and, asc, eq, sql } from "drizzle-orm";
import { hashPassword, passwordProblem } from "../../auth/passwords.js";
import type { Executor } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, NotFoundError } from "../../errors.js";
import { paginate, totalCountColumn, type ListQuery, type ListSpec, type PageResult } from "../../pagination.js";
import { InputCheck } from "../../validation.js";
import { enqueueMail } from "../../mail/outbox.js";
import { userInvitation } from "../../mail/templates.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { createInvitation } from "../invitations/invitations.service.js";
import { organizations, organizationUsers } from "../organizations/organizations.tables.js";
import type { OrganizationUser } from "../organizations/organizations.types.js";
import type { CreateUserInput } from "./users.types.js";
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

/**
 * Adds a user to the caller's organization. A registered address (any case) reuses its account
 * and keeps its credentials; an existing member is answered as it is, with nothing changed.
 */
export async function createUser(ctx: RequestContext, input: CreateUserInput): Promise<UserRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const details = {
    firstName: check.text("firstName", input.firstName, { max: 100 }),
    lastName: check.text("lastName", input.lastName, { max: 100 }),
    email: check.email("email", input.email),
    phoneNumber: check.phone("phoneNumber", input.phoneNumber) ?? null,
  };
  check.done();
  // An empty password is how form-based clients say "none": the user is invited instead.
  const password = input.password ? input.password : null;
  try {
    return await addMember(ctx, organizationId, details, password);
  } catch (error) {
    // Another request registered the address meanwhile: reuse that account, as if it came first.
    if (isUniqueViolation(error, "users_email_lower_key")) return addMember(ctx, organizationId, details, password);
    throw error;
  }
}

async function addMember(
  ctx: RequestContext,
  organizationId: string,
  details: NewUser,
  password: string | null,
): Promise<UserRow> {
  const existing = await findUserByEmail(ctx.db, details.email);
  let passwordHash: string | null = null;
  if (!existing && password) {
    const problem = passwordProblem(password);
    if (problem) throw BadInputError.field("password", problem);
    passwordHash = await hashPassword(password);
  }

  return ctx.db.transaction(async (tx) => {
    const user = existing ?? (await insertUser(tx, { ...details, passwordHash }));
    const [membership] = await tx
      .insert(organizationUsers)
      .values({ id: newId(), organizationId, userId: user.id, isAdmin: false })
      .onConflictDoNothing({ target: [organizationUsers.organizationId, organizationUsers.userId] })
      .returning({ id: organizationUsers.id });
    if (!membership) return user;

    const [organization] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    // Whoever has no password yet (new here, or invited elsewhere and never finished) gets a link.
    const invitation = user.passwordHash ? undefined : await createInvitation(tx, ctx.config, user.id);
    await enqueueMail(tx, {
      to: user.email,
      organizationId,
      ...userInvitation({
        firstName: user.firstName,
        organizationName: organization!.name,
        acceptUrl: invitation?.acceptUrl,
        signInUrl: ctx.config.SIGN_IN_URL,
      }),
    });
    return user;
  });
}

/** The caller's own account, from the user id in its access token. */
export async function getProfile(ctx: RequestContext): Promise<UserRow> {
  const { userId } = await ctx.auth.access();
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new NotFoundError("No user record exists for the id in your token");
  return user;
}

export async function userExists(ctx: RequestContext, email: string): Promise<boolean> {
  const check = new InputCheck();
  const address = check.email("email", email);
  check.done();
  return (await findUserByEmail(ctx.db, address)) !== undefined;
}

/** Organizations the caller is a member of (admin or not), whichever organization its token names. */
export async function listMyOrganizations(ctx: RequestContext) {
  const { userId } = await ctx.auth.identity();
  return ctx.db
    .select({
      id: organizations.id,
      identityOrganizationId: organizations.identityOrganizationId,
      name: organizations.name,
      slug: organizations.slug,
    })
    .from(organizationUsers)
    .innerJoin(organizations, eq(organizations.id, organizationUsers.organizationId))
    .where(eq(organizationUsers.userId, userId))
    .orderBy(asc(organizations.name), asc(organizations.id));
}

const memberList: ListSpec = {
  sortFields: { Email: users.email, FirstName: users.firstName, LastName: users.lastName },
  defaultSort: "Email",
  tieBreaker: users.id,
};

/** The caller's organization's members, each with `admin` and/or `customer` as its roles there. */
export async function listOrganizationUsers(
  ctx: RequestContext,
  args: ListQuery,
): Promise<PageResult<OrganizationUser>> {
  const organizationId = await ctx.auth.organizationId();
  const page = await paginate(args, memberList, (window) =>
    ctx.db
      .select({
        id: users.id,
        email: users.email,
        firstName: users.firstName,
        lastName: users.lastName,
        isAdmin: organizationUsers.isAdmin,
        isCustomer: sql<boolean>`exists(${ctx.db
          .select({ one: sql`1` })
          .from(userCustomers)
          .where(and(eq(userCustomers.organizationId, organizationId), eq(userCustomers.userId, users.id)))})`,
        totalCount: totalCountColumn,
      })
      .from(organizationUsers)
      .innerJoin(users, eq(users.id, organizationUsers.userId))
      .where(eq(organizationUsers.organizationId, organizationId))
      .orderBy(...window.orderBy)
      .limit(window.limit)
      .offset(window.offset),
  );
  const items = page.items.map(({ isAdmin, isCustomer, ...user }) => ({
    ...user,
    roles: [...(isAdmin ? ["admin"] : []), ...(isCustomer ? ["customer"] : [])],
  }));
  return { ...page, items };
}

import { and, asc, eq } from "drizzle-orm";
import { hashPassword, passwordProblem } from "../../auth/passwords.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { NotFoundError } from "../../errors.js";
import { userInvitation } from "../../mail/templates.js";
import { runCompiled, type Selection } from "../../db/json-select.js";
import { paginateCompiled, type ListQuery, type PageResult } from "../../pagination.js";
import { compileMember, compileMemberList, everyMemberField } from "./member-shape.js";
import { memberListSpec } from "./member-list.js";
import { InputCheck } from "../../validation.js";
import { organizations, organizationUsers } from "../organizations/organizations.tables.js";
import {
  addMember,
  checkPerson,
  findOrCreateUser,
  findUserByEmail,
  findUserById,
  isMember,
  needsConsent,
  shownPerson,
} from "../people/people.js";
import { inviterOf, mailPerson } from "../people/person-mail.js";
import type { CreateUserInput, OrganizationUser } from "./users.types.js";
import { users, type UserRow } from "./users.tables.js";

/**
 * Adds a user to the caller's organization. A registered address (any case) reuses its account
 * and keeps its credentials; an existing member is answered as it is, with nothing changed. The
 * answer shows a person who was not a member yet only as the caller described it, and gives the
 * same answer whether the address was registered or not.
 */
export async function createUser(ctx: RequestContext, input: CreateUserInput): Promise<UserRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const person = checkPerson(check, input, { lastNameRequired: true });
  // An empty password is how form-based clients say "none": the user is invited instead.
  const password = input.password || null;
  // Checked whether or not the address is registered, so a refusal does not tell which.
  const problem = password ? passwordProblem(password) : null;
  if (problem) check.fail("password", problem);
  check.done();
  const invitedBy = await inviterOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const found = await findOrCreateUser(tx, person, {
      newPasswordHash: async () => (password ? hashPassword(password) : null),
    });
    const { user } = found;
    const wasMember = await isMember(tx, organizationId, user.id);
    const pending = needsConsent(ctx.config, found);
    const added = await addMember(tx, organizationId, user.id, { admin: false, pending });
    // The trail and the webhook are the organization's too: they see what its answer shows.
    const shown = shownPerson(user, person, wasMember);
    await recordChange(tx, ctx, {
      operation: "createUser",
      targetIds: [user.id],
      after: added
        ? {
            email: shown.email,
            firstName: shown.firstName,
            lastName: shown.lastName,
            phoneNumber: shown.phoneNumber,
            pending,
          }
        : null,
      event: added
        ? { type: "user.added", data: { userId: user.id, email: shown.email, firstName: shown.firstName, pending } }
        : undefined,
    });
    if (added) {
      // Whoever has no password yet (new here, or invited elsewhere and never finished) gets a link.
      await mailPerson(tx, ctx.config, {
        user,
        organizationIds: [organizationId],
        invite: true,
        role: "Member",
        invitedBy,
        announce: true,
        pending,
        render: userInvitation,
      });
    }
    return shown;
  });
}

/** The caller's own account, from the user id in its access token. */
export async function getProfile(ctx: RequestContext): Promise<UserRow> {
  const user = await findUserById(ctx.db, await ctx.auth.userId());
  if (!user) throw new NotFoundError("No user record exists for the id in your token");
  return user;
}

/**
 * A federated reference to a user: with users.read any member of its organization, for anyone
 * else only its own account, as `profile` reads it; null otherwise.
 */
export async function userReference(ctx: RequestContext, id: string): Promise<UserRow | null> {
  const grant = await ctx.auth.access();
  const own = grant.actor.kind === "user" && grant.actor.userId === id;
  if (!grant.permissions.has("users.read") && !own) return null;
  const [member] = await ctx.db
    .select({ user: users })
    .from(organizationUsers)
    .innerJoin(users, eq(users.id, organizationUsers.userId))
    .where(and(eq(organizationUsers.organizationId, grant.organizationId), eq(organizationUsers.userId, id)));
  return member?.user ?? null;
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

/**
 * The caller's organization's members with the fields `selection` asks for, each with `Admin`
 * and/or `Customer` as its roles there, built as JSON by one compiled, prepared statement
 * (member-shape.ts).
 */
export async function listOrganizationUsers(
  ctx: RequestContext,
  args: ListQuery,
  selection: Selection,
): Promise<PageResult<OrganizationUser>> {
  const organizationId = await ctx.auth.organizationId();
  return paginateCompiled<OrganizationUser>(
    ctx.db,
    args,
    memberListSpec,
    (orderBy) => compileMemberList(selection, orderBy),
    { organizationId },
  );
}

/**
 * One member of an organization with its roles there, as a mutation that changed them answers it:
 * the members list's shape (member-shape.ts), read on `db`, the mutation's transaction.
 */
export async function findOrganizationUser(
  db: Executor,
  organizationId: string,
  userId: string,
): Promise<OrganizationUser | null> {
  const statement = compileMember(everyMemberField);
  const [row] = await runCompiled(db, statement.text, statement.params, { organizationId, userId });
  return row ? (JSON.parse(row[0] as string) as OrganizationUser) : null;
}

import { and, asc, eq } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import { BadInputError, NotFoundError } from "../../errors.js";
import { userInvitation } from "../../mail/templates.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import {
  assertMayGiveScope,
  assertSomeoneStillManages,
  buyerScope,
  lockCustomerUsers,
  setBuyerRoles,
  type BuyerScope,
} from "../customer-associations/buyer-roles.js";
import { userCustomers, type BuyerScopeKind } from "../customer-associations/customer-associations.tables.js";
import { newId } from "../../db/ids.js";
import { addMember, checkPerson, findOrCreateUser, isMember, needsConsent, shownPerson } from "../people/people.js";
import { inviterOf, mailPerson } from "../people/person-mail.js";
import { assertMayGrant, normalizedKeys, rolesOfSide } from "../roles/role-lookup.js";
import { users } from "../users/users.tables.js";

/** A user of a customer the caller manages, as its user managers see it. */
export interface CustomerUserView {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  customerNumber: string;
  roles: string[];
  scope: BuyerScopeKind;
}

export interface InviteCustomerUserInput {
  email: string;
  firstName: string;
  lastName?: string | null;
  roles: string[];
  customerNumber?: string | null;
  scope?: BuyerScopeKind | null;
}

function usersOf(ctx: RequestContext, scope: BuyerScope, userId?: string) {
  return ctx.db
    .select({
      userId: users.id,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      roles: userCustomers.roleKeys,
      scope: userCustomers.scope,
    })
    .from(userCustomers)
    .innerJoin(users, eq(users.id, userCustomers.userId))
    .where(
      and(
        eq(userCustomers.organizationId, scope.organizationId),
        eq(userCustomers.customerId, scope.customerId),
        userId === undefined ? undefined : eq(userCustomers.userId, userId),
      ),
    )
    .orderBy(asc(users.email));
}

const view = (scope: BuyerScope) => (row: Omit<CustomerUserView, "customerNumber">) => ({
  ...row,
  customerNumber: scope.customerNumber,
});

/**
 * The users of a customer the caller reaches as a buyer (its own, or one below it with an
 * inheriting scope); never another customer's, never the seller's members.
 */
export async function listMyCustomerUsers(
  ctx: RequestContext,
  customerNumber?: string | null,
): Promise<CustomerUserView[]> {
  const scope = await buyerScope(ctx, customerNumber);
  return (await usersOf(ctx, scope)).map(view(scope));
}

const notOurs = (userId: string, customerNumber: string) =>
  new NotFoundError(`No user ${userId} belongs to customer ${customerNumber}`);

/**
 * Invites a person to a customer the caller manages (its own by default) with buyer roles and a
 * scope the caller may give: an account is created when the address has none, and the e-mail
 * carries a link to choose a password while it has none. An address already associated with a
 * customer of the organization is refused.
 */
export async function inviteCustomerUser(
  ctx: RequestContext,
  input: InviteCustomerUserInput,
): Promise<CustomerUserView> {
  const scope = await buyerScope(ctx, input.customerNumber);
  const reach = input.scope ?? "self";
  assertMayGiveScope({ kind: "buyer", held: scope.permissions, ownScope: scope.ownScope }, "self", reach);
  const check = new InputCheck();
  const person = checkPerson(check, input);
  const keys = normalizedKeys(input.roles);
  if (keys.length === 0) check.fail("roles", "must name at least one role");
  check.done();
  const invitedBy = await inviterOf(ctx);
  const invited = await ctx.db.transaction(async (tx) => {
    const lookup = new InputCheck();
    const roles = await rolesOfSide(tx, lookup, "roles", scope.organizationId, keys, "buyer");
    roles.forEach((role) => {
      if (!role.buyerAssignable) lookup.fail(`roles[${keys.indexOf(role.key)}]`, "is not a role a customer may give");
    });
    lookup.done();
    assertMayGrant(scope.permissions, roles);
    const found = await findOrCreateUser(tx, person);
    const { user } = found;
    const [taken] = await tx
      .select({ id: userCustomers.id })
      .from(userCustomers)
      .where(and(eq(userCustomers.organizationId, scope.organizationId), eq(userCustomers.userId, user.id)));
    if (taken) throw BadInputError.field("email", "already belongs to a customer user of this organization");
    const wasMember = await isMember(tx, scope.organizationId, user.id);
    // Under MEMBERSHIP_CONSENT=required an existing account holds nothing here until it accepts.
    const pending = needsConsent(ctx.config, found);
    const added = await addMember(tx, scope.organizationId, user.id, { admin: false, pending });
    await tx.insert(userCustomers).values({
      id: newId(),
      organizationId: scope.organizationId,
      userId: user.id,
      customerId: scope.customerId,
      roleKeys: keys,
      scope: reach,
    });
    await recordChange(tx, ctx, {
      operation: "inviteCustomerUser",
      targetIds: [user.id, scope.customerId],
      after: { customerId: scope.customerId, roles: keys, scope: reach },
      event: {
        type: "customer_user.invited",
        data: { userId: user.id, email: user.email, customerNumber: scope.customerNumber, roles: keys, scope: reach },
      },
    });
    await mailPerson(tx, ctx.config, {
      user,
      organizationIds: [scope.organizationId],
      invite: true,
      role: "Member",
      invitedBy,
      announce: added,
      pending,
      render: userInvitation,
    });
    return { user, wasMember };
  });
  const [row] = await usersOf(ctx, scope, invited.user.id);
  // A customer admin must not read another organization's people by typing their e-mail.
  const shown = shownPerson({ ...row!, phoneNumber: null }, person, invited.wasMember);
  return view(scope)({ ...row!, email: shown.email, firstName: shown.firstName, lastName: shown.lastName });
}

/**
 * Gives a user of a customer the caller manages exactly these buyer roles (and the scope, when
 * given), within what the caller may give.
 */
export async function setMyCustomerUserRoles(
  ctx: RequestContext,
  userId: string,
  roleKeys: string[],
  customerNumber?: string | null,
  reach?: BuyerScopeKind | null,
): Promise<CustomerUserView> {
  const scope = await buyerScope(ctx, customerNumber);
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  check.done();
  await setBuyerRoles(
    ctx,
    {
      organizationId: scope.organizationId,
      userId: user,
      customerId: scope.customerId,
      customerNumber: scope.customerNumber,
    },
    roleKeys,
    { kind: "buyer", held: scope.permissions, ownScope: scope.ownScope },
    reach,
  ).catch((error: unknown) => {
    throw error instanceof NotFoundError ? notOurs(user, scope.customerNumber) : error;
  });
  const [row] = await usersOf(ctx, scope, user);
  return view(scope)(row!);
}

/**
 * Ends a user's association with a customer the caller manages; its membership of the
 * organization stays the seller's to end. The caller must hold every permission the user's roles
 * give (and an inheriting scope to remove one who has it), and someone must still manage the
 * customer's users afterwards.
 */
export async function removeMyCustomerUser(
  ctx: RequestContext,
  userId: string,
  customerNumber?: string | null,
): Promise<CustomerUserView> {
  const scope = await buyerScope(ctx, customerNumber);
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  check.done();
  const [before] = await usersOf(ctx, scope, user);
  if (!before) throw notOurs(user, scope.customerNumber);
  await ctx.db.transaction(async (tx) => {
    const locked = await lockCustomerUsers(tx, scope.organizationId, scope.customerId);
    const current = locked.find((row) => row.userId === user);
    if (!current) throw notOurs(user, scope.customerNumber);
    assertMayGiveScope({ kind: "buyer", held: scope.permissions, ownScope: scope.ownScope }, current.scope, "self");
    const roles = await rolesOfSide(tx, new InputCheck(), "roles", scope.organizationId, current.roleKeys, "buyer");
    assertMayGrant(scope.permissions, roles);
    await assertSomeoneStillManages(
      tx,
      scope.organizationId,
      locked.filter((row) => row.userId !== user),
    );
    await tx
      .delete(userCustomers)
      .where(and(eq(userCustomers.organizationId, scope.organizationId), eq(userCustomers.userId, user)));
    await recordChange(tx, ctx, {
      operation: "removeMyCustomerUser",
      targetIds: [user, scope.customerId],
      before: { customerId: scope.customerId, roles: current.roleKeys, scope: current.scope },
      after: null,
      event: { type: "customer_user.removed", data: { userId: user, customerNumber: scope.customerNumber } },
    });
  });
  return view(scope)(before);
}

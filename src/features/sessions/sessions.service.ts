import { and, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "../../auth/passwords.js";
import type { Executor } from "../../db/client.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, ForbiddenError, TooManyRequestsError, UnauthenticatedError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { customers } from "../customers/customers.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import { priceTiers } from "../price-tiers/price-tiers.tables.js";
import { ancestorsSql } from "../customers/customer-tree.js";
import { reachedCustomer } from "../customers/customer-reach.js";
import { findUserByEmail, findUserById } from "../people/people.js";
import { users } from "../users/users.tables.js";
import { revokedSessions } from "./sessions.tables.js";
import { issueDeviceToken, isDeviceTokenOf } from "./device-tokens.js";
import { mailLockoutNotice } from "./password-reset.service.js";
import { revokeAllSessions } from "./revocation.js";
import { clearSignInFailures, countSignInAttempt, type AttemptCounter } from "./sign-in-attempts.js";

const wrongCredentials = "The e-mail address or password is incorrect";

/**
 * Built-in identity provider: the same answer for an unknown e-mail and a wrong password. A client
 * presenting a device token of the account is counted apart from the address (so a stranger's
 * failures do not lock the owner out); every success answers a new device token.
 */
export async function signIn(ctx: RequestContext, email: string, password: string, deviceToken?: string | null) {
  const check = new InputCheck();
  const address = check.text("email", email, { max: 254 });
  check.text("password", password, { max: 256 });
  const presented = check.optionalText("deviceToken", deviceToken, { max: 200 });
  check.done();
  const counter: AttemptCounter =
    presented && (await isDeviceTokenOf(ctx.db, presented, address)) ? { deviceToken: presented } : { address };
  try {
    await countSignInAttempt(ctx, counter);
  } catch (error) {
    if (error instanceof TooManyRequestsError && "address" in counter) await mailLockoutNotice(ctx, address);
    throw error;
  }
  const user = await findUserByEmail(ctx.db, address);
  const valid = await verifyPassword(password, user?.passwordHash);
  if (!user || !valid) throw new UnauthenticatedError(wrongCredentials);
  await clearSignInFailures(ctx, counter);
  // The password is known only now: a hash from weaker settings is replaced with today's. Only
  // the hash read is replaced, so a password changed meanwhile is not overwritten.
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    await ctx.db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
  }
  const issued = await ctx.tokens.issueIdentity({ userId: user.id, email: user.email });
  return { ...issued, deviceToken: await issueDeviceToken(ctx.db, user.id) };
}

export interface CustomerClaims {
  customerNumber: string;
  priceTier?: string;
  currencyCode?: string;
  creditHold: boolean;
}

const defaultTier = alias(priceTiers, "default_tier");

/**
 * The tier that applies to a customer row: its own, else its nearest ancestor's that has one.
 * (The organization's default, the last fallback, is joined separately.)
 */
const inheritedTierId = sql`coalesce(${customers.priceTierId}, (
  select ac.price_tier_id from ${ancestorsSql(sql`${customers.organizationId}`, sql`${customers.id}`)} a
  join customers ac on ac.organization_id = ${customers.organizationId} and ac.id = a.id
  where ac.price_tier_id is not null order by a.distance limit 1))`;

/**
 * The token claims of one customer: its number, the price tier that applies (its own, its
 * nearest ancestor's, or the organization's default) and that tier's currency, and its credit hold.
 */
export async function customerClaims(
  db: Executor,
  organizationId: string,
  where: { customerId: string } | { customerNumber: string },
): Promise<CustomerClaims | undefined> {
  const [row] = await db
    .select({
      customerNumber: customers.customerNumber,
      priceTier: sql<string | null>`coalesce(${priceTiers.name}, ${defaultTier.name})`,
      currencyCode: sql<string | null>`coalesce(${priceTiers.currencyCode}, ${defaultTier.currencyCode})`,
      creditHold: customers.creditHold,
    })
    .from(customers)
    .innerJoin(organizations, eq(organizations.id, customers.organizationId))
    .leftJoin(
      priceTiers,
      and(eq(priceTiers.organizationId, customers.organizationId), eq(priceTiers.id, inheritedTierId)),
    )
    .leftJoin(
      defaultTier,
      and(
        eq(defaultTier.organizationId, organizations.id),
        sql`lower(${defaultTier.name}) = lower(${organizations.defaultPriceTier})`,
      ),
    )
    .where(
      and(
        eq(customers.organizationId, organizationId),
        "customerId" in where ? eq(customers.id, where.customerId) : eq(customers.customerNumber, where.customerNumber),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  return {
    customerNumber: row.customerNumber,
    priceTier: row.priceTier ?? undefined,
    currencyCode: row.currencyCode ?? undefined,
    creditHold: row.creditHold,
  };
}

/**
 * Enriches the caller's identity for one organization. The roles are the ones held now; a
 * customer association adds its customer's claims, or those of the customer the caller names when
 * it reaches that one (inReach).
 */
export async function issueAccess(ctx: RequestContext, identityOrganizationId: string, customerNumber?: string | null) {
  const check = new InputCheck();
  const code = check.text("identityOrganizationId", identityOrganizationId);
  const wanted = check.optionalText("customerNumber", customerNumber);
  check.done();
  const me = await ctx.auth.identity();
  const notMember = new ForbiddenError("You are not an active member of this organization");

  const [organization] = await ctx.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(or(eq(organizations.identityOrganizationId, code), eq(organizations.id, code)))
    .limit(1);
  if (!organization) throw notMember;
  const held = await ctx.directory.currentRoles({ kind: "user", userId: me.userId }, organization.id);
  if (!held || (held.roles.length === 0 && held.permissions.length === 0)) throw notMember;
  const { roles, permissions } = held;

  const [association] = await ctx.db
    .select({ customerId: userCustomers.customerId })
    .from(userCustomers)
    .where(and(eq(userCustomers.organizationId, organization.id), eq(userCustomers.userId, me.userId)));
  const own = association
    ? await customerClaims(ctx.db, organization.id, { customerId: association.customerId })
    : undefined;

  let acting = own;
  if (wanted && wanted !== own?.customerNumber) {
    // Another customer than its own: one below it when its association's scope inherits, or one in
    // its rep scope when it is a sales rep there.
    const reached = await reachedCustomer(
      ctx.db,
      {
        userId: me.userId,
        organizationId: organization.id,
        asBuyer: true,
        asRep: permissions.includes("customers.read_assigned"),
      },
      { customerNumber: wanted },
    );
    acting = reached ? await customerClaims(ctx.db, organization.id, { customerId: reached.id }) : undefined;
    if (!acting) throw new ForbiddenError(`You may not act for customer ${wanted}`);
  }

  return ctx.tokens.issueAccess({
    userId: me.userId,
    email: me.email,
    sessionId: ctx.auth.session?.sessionId,
    organizationId: organization.id,
    roles,
    permissions,
    ...acting,
  });
}

/** Ends the caller's session (its identity token and every access token enriched from it), or all of them. */
export async function signOut(ctx: RequestContext, allSessions: boolean): Promise<boolean> {
  const me = await ctx.auth.identity();
  const session = ctx.auth.session;
  if (allSessions || !session) {
    // A token of another identity provider has no session of ours to end: every one of ours goes.
    await revokeAllSessions(ctx.db, me.userId);
    return true;
  }
  await ctx.db
    .insert(revokedSessions)
    .values({
      sessionId: session.sessionId,
      userId: me.userId,
      // Every token of the session has expired by then, whichever key signed it.
      expiresAt: sql`now() + make_interval(secs => ${ctx.config.JWT_MAX_LIFETIME_SECONDS})`,
    })
    .onConflictDoNothing();
  return true;
}

/**
 * Changes the caller's password, given the current one, and ends every session issued before: a
 * token taken with the old password stops working on every instance. Wrong current passwords count
 * as failed sign-ins of the account, so this is no way around the lockout. Answers a new identity
 * token, since the caller's own was one of those ended.
 */
export async function changePassword(ctx: RequestContext, currentPassword: string, newPassword: string) {
  const check = new InputCheck();
  check.text("currentPassword", currentPassword, { max: 256 });
  const problem = passwordProblem(newPassword);
  if (problem) check.fail("newPassword", problem);
  check.done();
  const me = await ctx.auth.identity();
  await countSignInAttempt(ctx, { address: me.email });
  const user = await findUserById(ctx.db, me.userId);
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw BadInputError.field("currentPassword", "is not the account's password");
  }
  await clearSignInFailures(ctx, { address: me.email });
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await revokeAllSessions(tx, user.id);
  });
  return ctx.tokens.issueIdentity({ userId: user.id, email: user.email });
}

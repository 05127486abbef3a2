import { and, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { verifyPassword } from "../../auth/passwords.js";
import type { Executor } from "../../db/client.js";
import type { RequestContext } from "../../context.js";
import { ForbiddenError, UnauthenticatedError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { customers } from "../customers/customers.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import { priceTiers } from "../price-tiers/price-tiers.tables.js";
import { repCustomerId } from "../customers/rep-scope.js";
import { findUserByEmail } from "../people/people.js";
import { clearSignInFailures, countSignInAttempt } from "./sign-in-attempts.js";

const wrongCredentials = "The e-mail address or password is incorrect";

/** Built-in identity provider: the same answer for an unknown e-mail and a wrong password. */
export async function signIn(ctx: RequestContext, email: string, password: string) {
  const check = new InputCheck();
  const address = check.text("email", email, { max: 254 });
  check.text("password", password, { max: 256 });
  check.done();
  await countSignInAttempt(ctx, address);
  const user = await findUserByEmail(ctx.db, address);
  const valid = await verifyPassword(password, user?.passwordHash);
  if (!user || !valid) throw new UnauthenticatedError(wrongCredentials);
  await clearSignInFailures(ctx, address);
  return ctx.tokens.issueIdentity({ userId: user.id, email: user.email });
}

export interface CustomerClaims {
  customerNumber: string;
  priceTier?: string;
  currencyCode?: string;
}

const defaultTier = alias(priceTiers, "default_tier");

/**
 * The token claims of one customer: its number, its price tier (or the organization's default
 * tier) and that tier's currency.
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
    })
    .from(customers)
    .innerJoin(organizations, eq(organizations.id, customers.organizationId))
    .leftJoin(priceTiers, eq(priceTiers.id, customers.priceTierId))
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
  };
}

/**
 * Enriches the caller's identity for one organization. The roles are the ones held now; a
 * customer association adds its customer's claims.
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
    // A sales rep may act for any customer in its scope; anyone else only for its own.
    const scoped = roles.includes("SalesRep")
      ? await repCustomerId(ctx.db, me.userId, organization.id, { customerNumber: wanted })
      : undefined;
    acting = scoped ? await customerClaims(ctx.db, organization.id, { customerId: scoped }) : undefined;
    if (!acting) throw new ForbiddenError(`You may not act for customer ${wanted}`);
  }

  return ctx.tokens.issueAccess({
    userId: me.userId,
    email: me.email,
    organizationId: organization.id,
    roles,
    permissions,
    ...acting,
  });
}

import { randomBytes } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { hashPassword, passwordProblem, verifyPassword } from "../../auth/passwords.js";
import type { Executor } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { adminRole, assertMayGrant } from "../roles/role-lookup.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, ConflictError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { adminWelcome } from "../../mail/templates.js";
import { findPriceTierByName } from "../price-tiers/price-tiers.service.js";
import { addMember, checkPerson, findOrCreateUser, findUserByEmail, isMember, type Person } from "../people/people.js";
import { inviterOf, mailPerson } from "../people/person-mail.js";
import { runCompiled, type Selection } from "../../db/json-select.js";
import { compileOrganization, type CompiledOrganization } from "./organization-shape.js";
import { findOrganizationUser } from "../users/users.service.js";
import { users } from "../users/users.tables.js";
import type { OrganizationUser } from "../users/users.types.js";
import {
  organizationEntitlements,
  organizations,
  organizationSubscriptions,
  organizationUsers,
  type OrganizationRow,
} from "./organizations.tables.js";
import type {
  CreateOrganizationInput,
  OrganizationDetailsInput,
  UpdateOrganizationInput,
} from "./organizations.types.js";

function checkDetails(check: InputCheck, input: OrganizationDetailsInput, prefix: string, creating: boolean) {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  return {
    name: creating
      ? check.text(field("name"), input.name)
      : (check.optionalText(field("name"), input.name) ?? undefined),
    billingAddress1: check.optionalText(field("billingAddress1"), input.billingAddress1),
    billingAddress2: check.optionalText(field("billingAddress2"), input.billingAddress2),
    billingCity: check.optionalText(field("billingCity"), input.billingCity, { max: 100 }),
    billingStateProvince: check.optionalText(field("billingStateProvince"), input.billingStateProvince, { max: 100 }),
    billingPostalCode: check.optionalText(field("billingPostalCode"), input.billingPostalCode, { max: 20 }),
    billingCountry: check.optionalText(field("billingCountry"), input.billingCountry, { max: 100 }),
    phoneNumber: check.phone(field("phoneNumber"), input.phoneNumber),
    email: check.optionalEmail(field("email"), input.email),
    website: check.url(field("website"), input.website),
  };
}

function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "org";
}

const nameTaken = () => BadInputError.field("organization.name", "is already taken by another organization");

/**
 * Public sign-up: the organization and its first admin in one transaction. An e-mail that is
 * already registered is reused only when the password proves it is the caller's.
 */
export async function createOrganization(
  ctx: RequestContext,
  input: CreateOrganizationInput,
): Promise<OrganizationRow> {
  const check = new InputCheck();
  const details = checkDetails(check, input.organization, "organization", true);
  const admin = checkPerson(check, input.user, { prefix: "user" });
  const problem = passwordProblem(input.user.password ?? "");
  if (problem) check.fail("user.password", problem);
  check.done();

  const base = slugify(details.name!);
  for (let attempt = 1; ; attempt++) {
    try {
      return await insertOrganization(ctx, details, admin, input.user.password, attempt === 1 ? base : suffixed(base));
    } catch (error) {
      if (isUniqueViolation(error, "organizations_name_lower_key")) throw nameTaken();
      // Lost a race for a slug or an identity id (names that share a slug, signed up at once):
      // another suffix. An e-mail race cannot happen: findOrCreateUser settles it.
      const retry =
        isUniqueViolation(error, "organizations_slug_key") ||
        isUniqueViolation(error, "organizations_identity_organization_id_key");
      if (retry && attempt < 5) continue;
      throw error;
    }
  }
}

type OrganizationDetails = ReturnType<typeof checkDetails>;

async function insertOrganization(
  ctx: RequestContext,
  details: OrganizationDetails,
  admin: Person,
  password: string,
  preferredSlug: string,
): Promise<OrganizationRow> {
  return ctx.db.transaction(async (tx) => {
    const { user } = await findOrCreateUser(tx, admin, {
      proveExisting: async (existing) => {
        if (!(await verifyPassword(password, existing.passwordHash))) {
          throw BadInputError.field("user.email", "is already registered; give that account's password to reuse it");
        }
      },
      newPasswordHash: () => hashPassword(password),
    });
    const slug = await freeSlug(tx, preferredSlug);
    const [organization] = await tx
      .insert(organizations)
      .values({
        id: newId(),
        identityOrganizationId: `org_${randomBytes(6).toString("hex")}`,
        slug,
        ...details,
        name: details.name!,
      })
      .returning();
    await addMember(tx, organization!.id, user.id, { admin: true });
    await recordChange(tx, ctx, {
      operation: "createOrganization",
      organizationId: organization!.id,
      actor: { kind: "user", id: user.id, roles: [] },
      targetIds: [organization!.id, user.id],
      after: organization,
    });
    return organization!;
  });
}

const suffixed = (slug: string) => `${slug}-${randomBytes(3).toString("hex")}`;

/** The slug itself when no organization has it yet; the unique key still decides a race. */
async function freeSlug(tx: Executor, slug: string): Promise<string> {
  const [taken] = await tx.select({ n: count() }).from(organizations).where(eq(organizations.slug, slug));
  return taken!.n === 0 ? slug : suffixed(slug);
}

/**
 * The caller's organization with the fields `selection` asks for, its lists built in, by one
 * compiled, prepared statement (organization-shape.ts).
 */
export async function getOrganization(ctx: RequestContext, selection: Selection): Promise<CompiledOrganization> {
  const organizationId = await ctx.auth.organizationId();
  const statement = compileOrganization(selection);
  const [row] = await runCompiled(ctx.db, statement.text, statement.params, { organizationId });
  // The document answers 400 when the token's organization cannot be found.
  if (!row) throw new BadInputError("The organization in your token cannot be found");
  return JSON.parse(row[0] as string) as CompiledOrganization;
}

/** A federated reference to an organization: only the caller's own resolves, as `organization` reads. */
export async function organizationReference(ctx: RequestContext, id: string): Promise<OrganizationRow | null> {
  const organizationId = await ctx.auth.organizationId();
  if (id !== organizationId) return null;
  const [organization] = await ctx.db.select().from(organizations).where(eq(organizations.id, organizationId));
  return organization ?? null;
}

export async function updateOrganization(
  ctx: RequestContext,
  input: UpdateOrganizationInput,
): Promise<OrganizationRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const details = checkDetails(check, input, "", false);
  const defaultPriceTier = check.optionalText("defaultPriceTier", input.defaultPriceTier);
  check.done();

  // Kept as the tier's own spelling, whatever case the caller used.
  const tier = defaultPriceTier ? await findPriceTierByName(ctx.db, organizationId, defaultPriceTier) : undefined;
  if (defaultPriceTier && !tier)
    throw BadInputError.field("defaultPriceTier", "does not name a price tier of your organization");
  const changes = Object.fromEntries(
    Object.entries({ ...details, defaultPriceTier: tier ? tier.name : defaultPriceTier }).filter(
      ([, value]) => value !== undefined,
    ),
  );
  try {
    return await ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(organizations).where(eq(organizations.id, organizationId)).for("update");
      const [updated] = await tx
        .update(organizations)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(organizations.id, organizationId))
        .returning();
      if (!updated) throw new BadInputError("The organization in your token cannot be found");
      await recordChange(tx, ctx, {
        operation: "updateOrganization",
        targetIds: [organizationId],
        before,
        after: updated,
      });
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error, "organizations_name_lower_key")) {
      throw BadInputError.field("name", "is already taken by another organization");
    }
    throw error;
  }
}

export function listSubscriptions(ctx: RequestContext, organizationId: string) {
  return ctx.db
    .select()
    .from(organizationSubscriptions)
    .where(
      and(eq(organizationSubscriptions.organizationId, organizationId), eq(organizationSubscriptions.status, "active")),
    )
    .orderBy(asc(organizationSubscriptions.createdAt), asc(organizationSubscriptions.id));
}

export function listEntitlements(ctx: RequestContext, organizationId: string) {
  return ctx.db
    .select()
    .from(organizationEntitlements)
    .where(eq(organizationEntitlements.organizationId, organizationId))
    .orderBy(asc(organizationEntitlements.code));
}

export async function listAdmins(ctx: RequestContext) {
  const organizationId = await ctx.auth.organizationId();
  const rows = await ctx.db
    .select({
      id: users.id,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      pending: sql<boolean>`${organizationUsers.pendingSince} is not null`,
      customRoles: organizationUsers.roleKeys,
    })
    .from(organizationUsers)
    .innerJoin(users, eq(users.id, organizationUsers.userId))
    .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.isAdmin, true)))
    .orderBy(asc(users.email));
  return rows.map((row) => ({ ...row, roles: ["Admin" as const] }));
}

/**
 * Makes an existing account an admin here (adding the membership if needed, pending its consent
 * under MEMBERSHIP_CONSENT=required) and tells the person. A person who was not a member yet is
 * answered with the address the caller gave and no stored detail.
 */
export async function assignAdmin(ctx: RequestContext, email: string): Promise<OrganizationUser> {
  const grant = await ctx.auth.access();
  const organizationId = grant.organizationId;
  // Admin is a role like any other: only a caller holding all of it may give it.
  assertMayGrant(grant.permissions, [adminRole]);
  const check = new InputCheck();
  const address = check.email("email", email);
  check.done();
  const user = await findUserByEmail(ctx.db, address);
  if (!user) throw BadInputError.field("email", "does not match any user account");
  const invitedBy = await inviterOf(ctx);

  return ctx.db.transaction(async (tx) => {
    const wasMember = await isMember(tx, organizationId, user.id);
    const pending = !wasMember && ctx.config.MEMBERSHIP_CONSENT === "required";
    const added = await addMember(tx, organizationId, user.id, { admin: true, pending });
    await recordChange(tx, ctx, {
      operation: "assignOrganizationAdmin",
      targetIds: [user.id],
      after: added ? { isAdmin: true, pending } : null,
      event: added ? { type: "admin.assigned", data: { userId: user.id, email: address, pending } } : undefined,
    });
    // Already an admin: nothing changes and no second welcome is sent.
    if (added) {
      await mailPerson(tx, ctx.config, {
        user,
        organizationIds: [organizationId],
        invite: false,
        role: "Admin",
        invitedBy,
        announce: !wasMember,
        pending,
        render: adminWelcome,
      });
    }
    const member = (await findOrganizationUser(tx, organizationId, user.id))!;
    return wasMember ? member : { ...member, email: address, firstName: "", lastName: "" };
  });
}

/** Demotes an admin of this organization; the last admin stays. */
export async function removeAdmin(ctx: RequestContext, userId: string): Promise<OrganizationUser> {
  const grant = await ctx.auth.access();
  const organizationId = grant.organizationId;
  assertMayGrant(grant.permissions, [adminRole]);
  const check = new InputCheck();
  const id = check.text("userId", userId);
  check.done();
  return ctx.db.transaction(async (tx) => {
    // Lock the organization's admin rows so two concurrent removals cannot leave none.
    const admins = await tx
      .select({ userId: organizationUsers.userId, pendingSince: organizationUsers.pendingSince })
      .from(organizationUsers)
      .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.isAdmin, true)))
      .for("update");
    const target = admins.find((admin) => admin.userId === id);
    if (!target) {
      throw BadInputError.field("userId", "does not match an admin of your organization");
    }
    // An admin still waiting for its consent cannot manage anything: it does not count.
    if (target.pendingSince === null && admins.filter((admin) => admin.pendingSince === null).length === 1) {
      throw new ConflictError("The last admin of an organization cannot be removed", {
        userId: "is the organization's last admin",
      });
    }
    await tx
      .update(organizationUsers)
      .set({ isAdmin: false })
      .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.userId, id)));
    await recordChange(tx, ctx, {
      operation: "removeOrganizationAdmin",
      targetIds: [id],
      before: { isAdmin: true },
      after: { isAdmin: false },
      event: { type: "admin.removed", data: { userId: id } },
    });
    return (await findOrganizationUser(tx, organizationId, id))!;
  });
}

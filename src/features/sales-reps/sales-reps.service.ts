import { and, asc, count, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import type { RequestContext } from "../../graphql/context.js";
import { BadInputError, ForbiddenError, NotFoundError } from "../../graphql/errors.js";
import { resolvePage, toPage, type PageResult } from "../../graphql/pagination.js";
import { InputCheck } from "../../graphql/validation.js";
import { enqueueMail } from "../../mail/outbox.js";
import { salesRepInvitation } from "../../mail/templates.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { pageOfCustomers, type CustomerRow } from "../customers/customers.service.js";
import { customers } from "../customers/customers.tables.js";
import type { CustomersArgs } from "../customers/customers.types.js";
import { createInvitation } from "../invitations/invitations.service.js";
import { currentOrganizationId } from "../organizations/organizations.service.js";
import { organizations, organizationUsers } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";
import { inRepScope } from "./rep-scope.js";
import {
  administeredOrganizationIds,
  assignmentsBySalesRepId,
  customerIdsByAssignmentId,
  metaFieldsBySalesRepId,
  organizationById,
  salesRepById,
  type AssignmentRow,
  type MetaFieldRow,
  type OrganizationRow,
  type SalesRepRow,
  type SalesRepWithUser,
  type UserRow,
} from "./sales-reps.loaders.js";
import { accessTypes, organizationSalesReps, salesRepCustomers, salesRepMetaFields, salesReps, type AccessType } from "./sales-reps.tables.js";
import type { AddSalesRepInput, CreateSalesRepInput, OrganizationSalesRepsArgs } from "./sales-reps.types.js";

const repNumberRule = { max: 50 };

const listSpec = {
  sortFields: {
    RepNumber: organizationSalesReps.repNumber,
    FirstName: users.firstName,
    LastName: users.lastName,
    Email: users.email,
    PhoneNumber: users.phoneNumber,
    Active: organizationSalesReps.active,
  },
  defaultSort: "RepNumber",
  tieBreaker: organizationSalesReps.id,
};

/** The user behind the caller's token, without a lookup when an access token already names it. */
export async function callerUserId(ctx: RequestContext): Promise<string> {
  return ctx.auth.tokenKind === "access" ? (await ctx.auth.access()).userId : (await ctx.auth.identity()).userId;
}

/** Built-in sign-in answers with the user id; a user linked to the external provider with its subject. */
export function identityProviderOf(user: UserRow): { identityProvider: string; identityProviderUserId: string } {
  return user.externalSubject
    ? { identityProvider: "oidc", identityProviderUserId: user.externalSubject }
    : { identityProvider: "builtin", identityProviderUserId: user.id };
}

/** inactive when deactivated everywhere; invited until the user can sign in; else active. */
export function salesRepStatus(user: UserRow, assignments: AssignmentRow[]): "active" | "invited" | "inactive" {
  if (!assignments.some((assignment) => assignment.active)) return "inactive";
  if (!user.passwordHash && !user.externalSubject) return "invited";
  return "active";
}

export async function listOrganizationSalesReps(
  ctx: RequestContext,
  args: OrganizationSalesRepsArgs,
): Promise<PageResult<AssignmentRow>> {
  const organizationId = await currentOrganizationId(ctx);
  const page = resolvePage(args, listSpec);
  const where = eq(organizationSalesReps.organizationId, organizationId);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({ assignment: organizationSalesReps })
      .from(organizationSalesReps)
      .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
      .innerJoin(users, eq(users.id, salesReps.userId))
      .where(where)
      .orderBy(...page.orderBy)
      .limit(page.limit)
      .offset(page.offset),
    ctx.db.select({ n: count() }).from(organizationSalesReps).where(where),
  ]);
  return toPage(
    rows.map((row) => row.assignment),
    total!.n,
    page,
  );
}

/** Every assignment of the caller as a sales rep, active or not, in every organization. */
export async function listMySalesRepOrganizations(ctx: RequestContext): Promise<AssignmentRow[]> {
  const userId = await callerUserId(ctx);
  const rows = await ctx.db
    .select({ assignment: organizationSalesReps })
    .from(organizationSalesReps)
    .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
    .where(eq(salesReps.userId, userId))
    .orderBy(asc(organizationSalesReps.createdAt), asc(organizationSalesReps.id));
  return rows.map((row) => row.assignment);
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

async function creatorOf(ctx: RequestContext): Promise<Creator> {
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
async function lockOrCreateUser(tx: Transaction, person: Person): Promise<UserRow> {
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
async function ensureRep(tx: Transaction, userId: string, creator: Creator): Promise<{ rep: SalesRepRow; created: boolean }> {
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
async function inviteRep(
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
      signInUrl: `${ctx.config.PUBLIC_URL}/api/auth/sign-in`,
      again,
    }),
  });
}

function checkPerson(check: InputCheck, input: { firstName: string; lastName?: string | null; email: string; phoneNumber?: string | null }) {
  return {
    firstName: check.text("firstName", input.firstName, { max: 100 }),
    lastName: check.optionalText("lastName", input.lastName, { max: 100 }) ?? "",
    email: check.email("email", input.email),
    phoneNumber: check.phone("phoneNumber", input.phoneNumber) ?? null,
  };
}

const alreadyAssigned = (field: string) => BadInputError.field(field, "is already a sales rep of this organization");
const repNumberTaken = (field: string) => BadInputError.field(field, "is already used by another sales rep of this organization");

/** PUT /api/organizations/salesreps: creates or reuses the rep and assigns it to the caller's organization. */
export async function addSalesRep(ctx: RequestContext, input: AddSalesRepInput): Promise<AssignmentRow> {
  const organizationId = await currentOrganizationId(ctx);
  const check = new InputCheck();
  const person = checkPerson(check, input);
  const lastName = check.text("lastName", input.lastName, { max: 100 });
  const repNumber = check.text("repNumber", input.repNumber, repNumberRule);
  (input.roles ?? []).forEach((role, index) => {
    if (role?.trim().toLowerCase() !== "salesrep") check.fail(`roles[${index}]`, "must be SalesRep");
  });
  check.done();
  const creator = await creatorOf(ctx);

  try {
    return await ctx.db.transaction(async (tx) => {
      const user = await lockOrCreateUser(tx, { ...person, lastName });
      const { rep } = await ensureRep(tx, user.id, creator);
      const [assignment] = await tx
        .insert(organizationSalesReps)
        .values({ id: newId(), organizationId, salesRepId: rep.id, repNumber })
        .returning();
      await inviteRep(tx, ctx, user, [organizationId], false);
      return assignment!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_key")) throw alreadyAssigned("email");
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_number_key")) throw repNumberTaken("repNumber");
    throw error;
  }
}

const unknownAssignment = () =>
  new NotFoundError("organizationSalesRepId does not match a sales rep of your organization");

function checkAssignmentId(organizationSalesRepId: string): string {
  const check = new InputCheck();
  const id = check.text("organizationSalesRepId", organizationSalesRepId);
  check.done();
  return id;
}

const inOrganization = (id: string, organizationId: string) =>
  and(eq(organizationSalesReps.id, id), eq(organizationSalesReps.organizationId, organizationId));

export async function updateSalesRepNumber(
  ctx: RequestContext,
  organizationSalesRepId: string,
  repNumber: string,
): Promise<AssignmentRow> {
  const organizationId = await currentOrganizationId(ctx);
  const check = new InputCheck();
  const id = check.text("organizationSalesRepId", organizationSalesRepId);
  const number = check.text("repNumber", repNumber, repNumberRule);
  check.done();
  try {
    const [updated] = await ctx.db
      .update(organizationSalesReps)
      .set({ repNumber: number, updatedAt: sql`now()` })
      .where(inOrganization(id, organizationId))
      .returning();
    if (!updated) throw unknownAssignment();
    return updated;
  } catch (error) {
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_number_key")) throw repNumberTaken("repNumber");
    throw error;
  }
}

/** Takes access away at once (roles are re-checked on every request); the record stays. */
export async function deactivateSalesRep(ctx: RequestContext, organizationSalesRepId: string): Promise<boolean> {
  const organizationId = await currentOrganizationId(ctx);
  const id = checkAssignmentId(organizationSalesRepId);
  const [updated] = await ctx.db
    .update(organizationSalesReps)
    .set({ active: false, updatedAt: sql`now()` })
    .where(inOrganization(id, organizationId))
    .returning({ id: organizationSalesReps.id });
  if (!updated) throw unknownAssignment();
  return true;
}

/** Restores access; the re-invitation goes out only when the rep was inactive, so a repeat sends nothing. */
export async function activateSalesRep(ctx: RequestContext, organizationSalesRepId: string): Promise<boolean> {
  const organizationId = await currentOrganizationId(ctx);
  const id = checkAssignmentId(organizationSalesRepId);
  return ctx.db.transaction(async (tx) => {
    const [activated] = await tx
      .update(organizationSalesReps)
      .set({ active: true, updatedAt: sql`now()` })
      .where(and(inOrganization(id, organizationId), eq(organizationSalesReps.active, false)))
      .returning({ salesRepId: organizationSalesReps.salesRepId });
    if (!activated) {
      const [exists] = await tx
        .select({ id: organizationSalesReps.id })
        .from(organizationSalesReps)
        .where(inOrganization(id, organizationId));
      if (!exists) throw unknownAssignment();
      return true;
    }
    const [row] = await tx
      .select({ user: users })
      .from(salesReps)
      .innerJoin(users, eq(users.id, salesReps.userId))
      .where(eq(salesReps.id, activated.salesRepId));
    await inviteRep(tx, ctx, row!.user, [organizationId], true);
    return true;
  });
}

/**
 * Removes the assignment. The last one takes the rep record with it, and the user too when it
 * belongs nowhere else (no organization membership, no customer association).
 */
export async function removeSalesRep(ctx: RequestContext, organizationSalesRepId: string): Promise<boolean> {
  const organizationId = await currentOrganizationId(ctx);
  const id = checkAssignmentId(organizationSalesRepId);
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ salesRepId: organizationSalesReps.salesRepId, userId: salesReps.userId })
      .from(organizationSalesReps)
      .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
      .where(inOrganization(id, organizationId));
    if (!found) throw unknownAssignment();
    // Same lock order as adding a rep: the user row first.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, found.userId)).for("update");
    const deleted = await tx
      .delete(organizationSalesReps)
      .where(inOrganization(id, organizationId))
      .returning({ id: organizationSalesReps.id });
    if (deleted.length === 0) throw unknownAssignment();

    const [remaining] = await tx
      .select({
        assignments: sql<number>`(select count(*) from ${organizationSalesReps} where ${organizationSalesReps.salesRepId} = ${found.salesRepId})`.mapWith(Number),
        memberships: sql<number>`(select count(*) from ${organizationUsers} where ${organizationUsers.userId} = ${found.userId})`.mapWith(Number),
        associations: sql<number>`(select count(*) from ${userCustomers} where ${userCustomers.userId} = ${found.userId})`.mapWith(Number),
      })
      .from(users)
      .where(eq(users.id, found.userId));
    if (remaining!.assignments > 0) return true;
    await tx.delete(salesReps).where(eq(salesReps.id, found.salesRepId));
    if (remaining!.memberships === 0 && remaining!.associations === 0) {
      await tx.delete(users).where(eq(users.id, found.userId));
    }
    return true;
  });
}

interface CompanyPlan {
  index: number;
  organizationId: string;
  customerIds: string[];
  accessType: AccessType;
  repNumber: string | null;
}

const statuses = ["active", "invited", "inactive"] as const;

/**
 * POST /api/salesRep. Every company must be an organization the caller administers (its
 * organization_users row says so), else 403; customers are ids or numbers of that organization.
 */
export async function createSalesRep(ctx: RequestContext, input: CreateSalesRepInput): Promise<SalesRepRow> {
  const callerId = await callerUserId(ctx);
  const check = new InputCheck();
  const person = checkPerson(check, input);
  const status = input.status?.trim().toLowerCase() || "active";
  if (!(statuses as readonly string[]).includes(status)) check.fail("status", "must be active, invited or inactive");
  const companies = input.salesRepCompanies ?? [];
  if (companies.length === 0) check.fail("salesRepCompanies", "must name at least one company");
  const parsed = companies.map((company, index) => {
    const field = `salesRepCompanies[${index}]`;
    const accessType = (company.accessType?.trim().toLowerCase() || "customer") as AccessType;
    if (!accessTypes.includes(accessType)) check.fail(`${field}.accessType`, `must be one of ${accessTypes.join(", ")}`);
    const refs = (company.customers ?? []).map((ref, refIndex) => check.text(`${field}.customers[${refIndex}]`, ref, { max: 100 }));
    return {
      index,
      company: check.text(`${field}.company`, company.company, { max: 100 }),
      refs,
      accessType,
      repNumber: check.optionalText(`${field}.repNumber`, company.repNumber, repNumberRule) ?? null,
    };
  });
  const metaFields = (input.metaFields ?? []).map((field, index) => ({
    code: check.text(`metaFields[${index}].code`, field.code, { max: 100 }),
    value: field.value ?? null,
  }));
  metaFields.forEach((field, index) => {
    if (metaFields.findIndex((other) => other.code === field.code) < index) check.fail(`metaFields[${index}].code`, "is given twice");
  });
  check.done();

  const plans = await planCompanies(ctx, callerId, parsed);
  const creator = await creatorOf(ctx);
  const active = status !== "inactive";

  try {
    return await ctx.db.transaction(async (tx) => {
      const user = await lockOrCreateUser(tx, person);
      const { rep, created } = await ensureRep(tx, user.id, creator);
      await refuseClashes(tx, rep.id, plans);
      for (const plan of plans) {
        const assignmentId = newId();
        await tx.insert(organizationSalesReps).values({
          id: assignmentId,
          organizationId: plan.organizationId,
          salesRepId: rep.id,
          repNumber: plan.repNumber ?? generatedRepNumber(assignmentId),
          accessType: plan.accessType,
          active,
        });
        if (plan.customerIds.length > 0) {
          await tx.insert(salesRepCustomers).values(
            plan.customerIds.map((customerId) => ({
              organizationSalesRepId: assignmentId,
              customerId,
              organizationId: plan.organizationId,
            })),
          );
        }
      }
      if (metaFields.length > 0) {
        await tx
          .insert(salesRepMetaFields)
          .values(metaFields.map((field) => ({ id: newId(), salesRepId: rep.id, code: field.code, value: field.value })))
          .onConflictDoUpdate({
            target: [salesRepMetaFields.salesRepId, salesRepMetaFields.code],
            set: { value: sql`excluded.value`, updatedAt: sql`now()` },
          });
      }
      const [saved] = created
        ? [rep]
        : await tx.update(salesReps).set({ updatedAt: sql`now()` }).where(eq(salesReps.id, rep.id)).returning();
      if (active) await inviteRep(tx, ctx, user, plans.map((plan) => plan.organizationId), false);
      return saved!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_key")) throw alreadyAssigned("salesRepCompanies");
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_number_key")) throw repNumberTaken("salesRepCompanies");
    throw error;
  }
}

/** Rep numbers the document does not carry: SR- and the first eight characters of the assignment id. */
function generatedRepNumber(assignmentId: string): string {
  return `SR-${assignmentId.slice(0, 8).toUpperCase()}`;
}

async function planCompanies(
  ctx: RequestContext,
  callerId: string,
  companies: { index: number; company: string; refs: string[]; accessType: AccessType; repNumber: string | null }[],
): Promise<CompanyPlan[]> {
  const named = companies.map((company) => company.company);
  const administered = await ctx.db
    .select({ id: organizations.id, identityOrganizationId: organizations.identityOrganizationId })
    .from(organizations)
    .innerJoin(organizationUsers, eq(organizationUsers.organizationId, organizations.id))
    .where(
      and(
        eq(organizationUsers.userId, callerId),
        eq(organizationUsers.isAdmin, true),
        or(inArray(organizations.id, named), inArray(organizations.identityOrganizationId, named)),
      ),
    );
  const organizationIds = companies.map((company) => {
    const organization = administered.find((row) => row.id === company.company || row.identityOrganizationId === company.company);
    // Unknown and foreign organizations get the same answer.
    if (!organization) throw new ForbiddenError(`You do not administer the organization ${company.company}`);
    return organization.id;
  });

  const check = new InputCheck();
  organizationIds.forEach((id, index) => {
    if (organizationIds.indexOf(id) < index) check.fail(`salesRepCompanies[${index}].company`, "is given twice");
  });
  const refs = [...new Set(companies.flatMap((company) => company.refs))];
  const found =
    refs.length === 0
      ? []
      : await ctx.db
          .select({ id: customers.id, customerNumber: customers.customerNumber, organizationId: customers.organizationId })
          .from(customers)
          .where(
            and(
              inArray(customers.organizationId, organizationIds),
              or(inArray(customers.id, refs), inArray(customers.customerNumber, refs)),
            ),
          );
  const plans = companies.map((company, index) => {
    const organizationId = organizationIds[index]!;
    const customerIds = company.refs.map((ref, refIndex) => {
      const customer = found.find(
        (row) => row.organizationId === organizationId && (row.id === ref || row.customerNumber === ref),
      );
      if (!customer) check.fail(`salesRepCompanies[${index}].customers[${refIndex}]`, "is not a customer of that company");
      return customer?.id ?? "";
    });
    return { ...company, organizationId, customerIds: [...new Set(customerIds)] };
  });
  check.done();
  return plans;
}

/** Names the company of a clash instead of leaving it to the unique constraints. */
async function refuseClashes(tx: Executor, salesRepId: string, plans: CompanyPlan[]): Promise<void> {
  const organizationIds = plans.map((plan) => plan.organizationId);
  const numbered = plans.filter((plan) => plan.repNumber !== null);
  const clashes = await tx
    .select({
      organizationId: organizationSalesReps.organizationId,
      salesRepId: organizationSalesReps.salesRepId,
      repNumber: organizationSalesReps.repNumber,
    })
    .from(organizationSalesReps)
    .where(
      and(
        inArray(organizationSalesReps.organizationId, organizationIds),
        or(
          eq(organizationSalesReps.salesRepId, salesRepId),
          ...numbered.map((plan) =>
            and(
              eq(organizationSalesReps.organizationId, plan.organizationId),
              eq(organizationSalesReps.repNumber, plan.repNumber!),
              ne(organizationSalesReps.salesRepId, salesRepId),
            ),
          ),
        ),
      ),
    );
  const check = new InputCheck();
  for (const plan of plans) {
    const field = `salesRepCompanies[${plan.index}]`;
    const here = clashes.filter((row) => row.organizationId === plan.organizationId);
    if (here.some((row) => row.salesRepId === salesRepId)) {
      check.fail(`${field}.company`, "already has this sales rep");
    } else if (here.some((row) => row.repNumber === plan.repNumber)) {
      check.fail(`${field}.repNumber`, "is already used by another sales rep of this organization");
    }
  }
  check.done();
}

/** A rep and its user, loaded in one batch with every other rep the request touches. */
export async function repWithUser(ctx: RequestContext, salesRepId: string): Promise<SalesRepWithUser> {
  const found = await ctx.loaders.get(salesRepById).load(salesRepId);
  // The foreign key makes a missing rep impossible outside a concurrent removal.
  if (!found) throw new NotFoundError("The sales rep no longer exists");
  return found;
}

export async function organizationOf(ctx: RequestContext, organizationId: string): Promise<OrganizationRow> {
  const found = await ctx.loaders.get(organizationById).load(organizationId);
  if (!found) throw new NotFoundError("The organization no longer exists");
  return found;
}

export function assignedCustomerIds(ctx: RequestContext, organizationSalesRepId: string): Promise<string[]> {
  return ctx.loaders.get(customerIdsByAssignmentId).load(organizationSalesRepId);
}

export function metaFieldsOf(ctx: RequestContext, salesRepId: string): Promise<MetaFieldRow[]> {
  return ctx.loaders.get(metaFieldsBySalesRepId).load(salesRepId);
}

export async function statusOf(ctx: RequestContext, rep: SalesRepRow): Promise<string> {
  const [{ user }, assignments] = await Promise.all([
    repWithUser(ctx, rep.id),
    ctx.loaders.get(assignmentsBySalesRepId).load(rep.id),
  ]);
  return salesRepStatus(user, assignments);
}

/**
 * A rep's assignments as the caller may see them: all of them to the rep itself, otherwise only
 * those in organizations the caller administers, so one tenant never learns of another's.
 */
export async function visibleAssignments(ctx: RequestContext, rep: SalesRepRow): Promise<AssignmentRow[]> {
  const callerId = await callerUserId(ctx);
  const assignments = await ctx.loaders.get(assignmentsBySalesRepId).load(rep.id);
  if (rep.userId === callerId) return assignments;
  const administered = await ctx.loaders.get(administeredOrganizationIds).load(callerId);
  return assignments.filter((assignment) => administered.has(assignment.organizationId));
}


/** GET /api/salesreps/customers: the caller's customers in its token's organization, paged like GET /api/customers. */
export async function listMySalesRepCustomers(ctx: RequestContext, args: CustomersArgs): Promise<PageResult<CustomerRow>> {
  const grant = await ctx.auth.access();
  return pageOfCustomers(ctx, inRepScope(ctx.db, grant.userId, grant.organizationId), args);
}

import { and, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { isForeignKeyViolation, isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, ForbiddenError } from "../../errors.js";
import { viewOfSalesRep, type SalesRepView } from "./sales-rep-views.js";
import { InputCheck } from "../../validation.js";
import { customers } from "../customers/customers.tables.js";
import { organizations, organizationUsers } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";
import { alreadyAssigned, repNumberRule, repNumberTaken } from "./assignment-checks.js";
import { checkPerson, findOrCreateUser, shownPerson } from "../people/people.js";
import { inviterOf } from "../people/person-mail.js";
import { creatorOf, ensureRep, inviteRep } from "./sales-rep-accounts.js";
import { checkRoleKey, findRoleKeys } from "./sales-rep-roles.service.js";
import {
  accessTypes,
  salesRepStatuses,
  organizationSalesReps,
  salesRepCustomers,
  salesRepMetaFields,
  salesReps,
  type AccessType,
} from "./sales-reps.tables.js";
import type { CreateSalesRepInput } from "./sales-reps.types.js";

interface CompanyPlan {
  index: number;
  organizationId: string;
  customerIds: string[];
  accessType: AccessType;
  salesRepRole: string | null;
  repNumber: string | null;
  includeDescendants: boolean;
}

/**
 * POST /api/salesRep. Every company must be an organization the caller administers (its
 * organization_users row says so), else 403; customers are ids or numbers of that organization.
 */
export async function createSalesRep(ctx: RequestContext, input: CreateSalesRepInput): Promise<SalesRepView> {
  const callerId = await ctx.auth.userId();
  const check = new InputCheck();
  const person = checkPerson(check, input);
  const status = input.status?.trim().toLowerCase() || "active";
  if (!(salesRepStatuses as readonly string[]).includes(status))
    check.fail("status", "must be active, invited or inactive");
  const companies = input.salesRepCompanies ?? [];
  if (companies.length === 0) check.fail("salesRepCompanies", "must name at least one company");
  const parsed = companies.map((company, index) => {
    const field = `salesRepCompanies[${index}]`;
    const accessType = (company.accessType?.trim().toLowerCase() || "customer") as AccessType;
    if (!accessTypes.includes(accessType))
      check.fail(`${field}.accessType`, `must be one of ${accessTypes.join(", ")}`);
    const salesRepRole = company.salesRepRole?.trim()
      ? checkRoleKey(check, `${field}.salesRepRole`, company.salesRepRole)
      : null;
    if (salesRepRole && accessType !== "role")
      check.fail(`${field}.salesRepRole`, "may be given only with accessType role");
    const refs = (company.customers ?? []).map((ref, refIndex) =>
      check.text(`${field}.customers[${refIndex}]`, ref, { max: 100 }),
    );
    return {
      index,
      company: check.text(`${field}.company`, company.company, { max: 100 }),
      refs,
      accessType,
      salesRepRole,
      repNumber: check.optionalText(`${field}.repNumber`, company.repNumber, repNumberRule) ?? null,
      includeDescendants: company.includeDescendants === true,
    };
  });
  const metaFields = (input.metaFields ?? []).map((field, index) => ({
    code: check.text(`metaFields[${index}].code`, field.code, { max: 100 }),
    value: field.value ?? null,
  }));
  metaFields.forEach((field, index) => {
    if (metaFields.findIndex((other) => other.code === field.code) < index)
      check.fail(`metaFields[${index}].code`, "is given twice");
  });
  check.done();

  const plans = await planCompanies(ctx, callerId, parsed);
  const creator = await creatorOf(ctx);
  const invitedBy = await inviterOf(ctx);
  const active = status !== "inactive";

  try {
    const { createdRep, known } = await ctx.db.transaction(async (tx) => {
      const { user } = await findOrCreateUser(tx, person);
      const known = await knownToCaller(tx, callerId, user.id);
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
          salesRepRole: plan.salesRepRole,
          includeDescendants: plan.includeDescendants,
          active,
        });
        // A rep may be assigned to several organizations at once: each one's trail records its own.
        await recordChange(tx, ctx, {
          operation: "createSalesRep",
          organizationId: plan.organizationId,
          targetIds: [assignmentId, rep.id, user.id],
          after: {
            salesRepId: rep.id,
            userId: user.id,
            accessType: plan.accessType,
            salesRepRole: plan.salesRepRole,
            includeDescendants: plan.includeDescendants,
            active,
            customerIds: plan.customerIds,
          },
          event: {
            type: "salesrep.added",
            data: { organizationSalesRepId: assignmentId, salesRepId: rep.id, userId: user.id },
          },
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
          .values(
            metaFields.map((field) => ({ id: newId(), salesRepId: rep.id, code: field.code, value: field.value })),
          )
          .onConflictDoUpdate({
            target: [salesRepMetaFields.salesRepId, salesRepMetaFields.code],
            set: { value: sql`excluded.value`, updatedAt: sql`now()` },
          });
      }
      const [saved] = created
        ? [rep]
        : await tx
            .update(salesReps)
            .set({ updatedAt: sql`now()` })
            .where(eq(salesReps.id, rep.id))
            .returning();
      if (active)
        await inviteRep(
          tx,
          ctx,
          user,
          plans.map((plan) => plan.organizationId),
          { again: false, invitedBy },
        );
      return { createdRep: saved!, known };
    });
    // Read after commit: the user may have been updated in the transaction after it was found.
    const view = await viewOfSalesRep(ctx, createdRep);
    return shownPerson(view, person, known);
  } catch (error) {
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_key")) throw alreadyAssigned("salesRepCompanies");
    if (isUniqueViolation(error, "organization_sales_reps_org_rep_number_key"))
      throw repNumberTaken("salesRepCompanies");
    // A sales-rep role named here deleted after the plan found it.
    if (isForeignKeyViolation(error))
      throw BadInputError.field("salesRepCompanies", "names a sales-rep role that no longer exists");
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
  companies: {
    index: number;
    company: string;
    refs: string[];
    accessType: AccessType;
    salesRepRole: string | null;
    repNumber: string | null;
    includeDescendants: boolean;
  }[],
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
    const organization = administered.find(
      (row) => row.id === company.company || row.identityOrganizationId === company.company,
    );
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
          .select({
            id: customers.id,
            customerNumber: customers.customerNumber,
            organizationId: customers.organizationId,
          })
          .from(customers)
          .where(
            and(
              inArray(customers.organizationId, organizationIds),
              or(inArray(customers.id, refs), inArray(customers.customerNumber, refs)),
            ),
          );
  const roleKeys = [...new Set(companies.flatMap((company) => company.salesRepRole ?? []))];
  const roles = await findRoleKeys(ctx.db, organizationIds, roleKeys);
  const plans = companies.map((company, index) => {
    const organizationId = organizationIds[index]!;
    if (
      company.salesRepRole &&
      !roles.some((role) => role.organizationId === organizationId && role.key === company.salesRepRole)
    )
      check.fail(`salesRepCompanies[${index}].salesRepRole`, "is not a sales-rep role of that company");
    const customerIds = company.refs.map((ref, refIndex) => {
      const customer = found.find(
        (row) => row.organizationId === organizationId && (row.id === ref || row.customerNumber === ref),
      );
      if (!customer)
        check.fail(`salesRepCompanies[${index}].customers[${refIndex}]`, "is not a customer of that company");
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

/**
 * Whether the caller already sees this person: a member, or a rep assigned, in an organization the
 * caller administers. Anyone else is answered as the caller described it.
 */
async function knownToCaller(tx: Executor, callerId: string, userId: string): Promise<boolean> {
  const administered = tx
    .select({ id: organizationUsers.organizationId })
    .from(organizationUsers)
    .where(
      and(
        eq(organizationUsers.userId, callerId),
        eq(organizationUsers.isAdmin, true),
        isNull(organizationUsers.pendingSince),
      ),
    );
  const [row] = await tx
    .select({
      known: sql<boolean>`exists(${tx
        .select({ one: sql`1` })
        .from(organizationUsers)
        .where(
          and(eq(organizationUsers.userId, userId), inArray(organizationUsers.organizationId, administered)),
        )}) or exists(${tx
        .select({ one: sql`1` })
        .from(organizationSalesReps)
        .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
        .where(and(eq(salesReps.userId, userId), inArray(organizationSalesReps.organizationId, administered)))})`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row?.known ?? false;
}

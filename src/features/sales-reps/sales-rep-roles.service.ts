import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { isForeignKeyViolation, isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { BadInputError, ConflictError, NotFoundError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import { checkScopeRule } from "./scope-rule.js";
import { organizationSalesReps, salesRepRoles, type SalesRepRoleRow } from "./sales-reps.tables.js";
import type {
  CreateSalesRepRoleInput,
  DeleteSalesRepRolePayload,
  UpdateSalesRepRoleInput,
} from "./sales-rep-roles.types.js";
import { byKey } from "../../db/tenant-key.js";

const keyPattern = /^[a-z0-9][a-z0-9_-]{0,49}$/;
const keyProblem = "must be 1 to 50 lower-case letters, digits, - and _, starting with a letter or digit";

/** Role keys are compared in lower case, so `Northeast` and `northeast` name one role. */
export function checkRoleKey(check: InputCheck, field: string, key: string | null | undefined): string {
  const value = check.text(field, key, { max: 50 }).toLowerCase();
  if (value && !keyPattern.test(value)) check.fail(field, keyProblem);
  return value;
}

const unknownRole = (key: string) => new NotFoundError(`No sales-rep role ${key} exists in your organization`);

const keyTaken = () => BadInputError.field("key", "is already the key of a sales-rep role of your organization");

const roleEvent = (role: SalesRepRoleRow) => ({ salesRepRoleId: role.id, key: role.key, name: role.name });

const inOrganization = (organizationId: string, key: string) =>
  and(eq(salesRepRoles.organizationId, organizationId), eq(salesRepRoles.key, key));

/** The organization's roles, by key. */
export async function listSalesRepRoles(ctx: RequestContext): Promise<SalesRepRoleRow[]> {
  const organizationId = await ctx.auth.organizationId();
  return ctx.db
    .select()
    .from(salesRepRoles)
    .where(eq(salesRepRoles.organizationId, organizationId))
    .orderBy(asc(salesRepRoles.key));
}

export async function createSalesRepRole(
  ctx: RequestContext,
  input: CreateSalesRepRoleInput,
): Promise<SalesRepRoleRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const key = checkRoleKey(check, "key", input.key);
  const name = check.text("name", input.name, { max: 100 });
  const description = check.optionalText("description", input.description, { max: 1000 }) ?? null;
  const scope = checkScopeRule(check, "scope", input.scope);
  check.done();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [role] = await tx
        .insert(salesRepRoles)
        .values({ id: newId(), organizationId, key, name, description, scope })
        .returning();
      await recordChange(tx, ctx, {
        operation: "createSalesRepRole",
        targetIds: [role!.id],
        after: role,
        event: { type: "sales_rep_role.created", data: { ...roleEvent(role!), scope } },
      });
      return role!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "sales_rep_roles_org_key_key")) throw keyTaken();
    throw error;
  }
}

/** Changes a role in place: every rep holding it reaches the new scope on its next request. */
export async function updateSalesRepRole(
  ctx: RequestContext,
  key: string,
  input: UpdateSalesRepRoleInput,
): Promise<SalesRepRoleRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const roleKey = checkRoleKey(check, "key", key);
  const name = input.name == null ? undefined : check.text("name", input.name, { max: 100 });
  const description = check.optionalText("description", input.description, { max: 1000 });
  const scope = input.scope == null ? undefined : checkScopeRule(check, "scope", input.scope);
  check.done();
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(salesRepRoles).where(inOrganization(organizationId, roleKey)).for("update");
    if (!before) throw unknownRole(roleKey);
    const [updated] = await tx
      .update(salesRepRoles)
      .set({ name, description, scope, updatedAt: sql`now()` })
      .where(byKey(salesRepRoles, { organizationId, id: before.id }))
      .returning();
    await recordChange(tx, ctx, {
      operation: "updateSalesRepRole",
      targetIds: [before.id],
      before,
      after: updated,
      event: { type: "sales_rep_role.updated", data: { ...roleEvent(updated!), scope: updated!.scope } },
    });
    return updated!;
  });
}

/** Refused while an assignment names the role: its reps would silently lose or change their customers. */
export async function deleteSalesRepRole(ctx: RequestContext, key: string): Promise<DeleteSalesRepRolePayload> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const roleKey = checkRoleKey(check, "key", key);
  check.done();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [role] = await tx.select().from(salesRepRoles).where(inOrganization(organizationId, roleKey)).for("update");
      if (!role) throw unknownRole(roleKey);
      const [held] = await tx
        .select({ n: count() })
        .from(organizationSalesReps)
        .where(
          and(
            eq(organizationSalesReps.organizationId, organizationId),
            eq(organizationSalesReps.salesRepRole, roleKey),
          ),
        );
      if (held!.n > 0) throw roleInUse(roleKey, held!.n);
      await tx.delete(salesRepRoles).where(byKey(salesRepRoles, { organizationId, id: role.id }));
      await recordChange(tx, ctx, {
        operation: "deleteSalesRepRole",
        targetIds: [role.id],
        before: role,
        event: { type: "sales_rep_role.deleted", data: roleEvent(role) },
      });
      return { deletedSalesRepRoleId: role.id, key: role.key };
    });
  } catch (error) {
    // A rep given the role between the count and the delete: the foreign key refuses it.
    if (isForeignKeyViolation(error)) throw roleInUse(roleKey);
    throw error;
  }
}

function roleInUse(key: string, assignments?: number): ConflictError {
  const who = assignments === undefined ? "sales reps" : `${assignments} sales rep${assignments === 1 ? "" : "s"}`;
  return new ConflictError(`The sales-rep role ${key} is held by ${who}; give them another access first`);
}

/** Which of `keys` are roles of which of the organizations, in one statement. */
export async function findRoleKeys(
  db: Executor,
  organizationIds: string[],
  keys: string[],
): Promise<{ organizationId: string; key: string }[]> {
  if (organizationIds.length === 0 || keys.length === 0) return [];
  return db
    .select({ organizationId: salesRepRoles.organizationId, key: salesRepRoles.key })
    .from(salesRepRoles)
    .where(and(inArray(salesRepRoles.organizationId, organizationIds), inArray(salesRepRoles.key, keys)));
}

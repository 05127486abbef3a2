import { and, asc, eq, isNull, sql } from "drizzle-orm";
import {
  isBuiltInBuyerRole,
  isPermission,
  needsPerson,
  permissionCatalogue,
  type Permission,
  type RoleSide,
} from "../../auth/permissions.js";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { BadInputError, ConflictError, NotFoundError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { apiClients } from "../api-clients/api-clients.tables.js";
import { recordChange } from "../audit/record-change.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { organizationUsers } from "../organizations/organizations.tables.js";
import { findOrganizationUser } from "../users/users.service.js";
import {
  assertMayGrant,
  builtInBuyerRoleDefinitions,
  customRoleDefinition,
  normalizedKeys,
  rolesOfSide,
  type RoleDefinition,
} from "./role-lookup.js";
import { customRoles } from "./roles.tables.js";
import { byKey } from "../../db/tenant-key.js";

export interface RoleInput {
  key: string;
  name: string;
  description?: string | null;
  permissions: string[];
  side: RoleSide;
  buyerAssignable?: boolean | null;
}

export interface RoleChanges {
  name?: string | null;
  description?: string | null;
  permissions?: string[] | null;
  buyerAssignable?: boolean | null;
}

const keyPattern = /^[a-z][a-z0-9_-]{0,49}$/;
/** Built-in names a custom role may not take, in any spelling, so a key never reads as one of them. */
const reservedKeys = new Set(["admin", "customer", "salesrep", "sales-rep", "sales_rep"]);

const roleNotFound = (key: string) => new NotFoundError(`No custom role ${key} exists in your organization`);

/** The organization's roles: the built-in buyer roles, then its custom roles by side and key. */
export async function listRoles(ctx: RequestContext): Promise<RoleDefinition[]> {
  const organizationId = await ctx.auth.organizationId();
  const rows = await ctx.db
    .select()
    .from(customRoles)
    .where(eq(customRoles.organizationId, organizationId))
    .orderBy(asc(customRoles.side), asc(customRoles.key));
  return [...builtInBuyerRoleDefinitions, ...rows.map(customRoleDefinition)];
}

function checkPermissions(check: InputCheck, given: readonly string[], side: RoleSide): Permission[] {
  if (given.length === 0) check.fail("permissions", "must name at least one permission");
  const permissions = new Set<Permission>();
  given.forEach((value, index) => {
    const permission = value.trim();
    if (!isPermission(permission)) check.fail(`permissions[${index}]`, "is not a permission of the catalogue");
    else if (permissionCatalogue[permission].side !== side) {
      check.fail(`permissions[${index}]`, `is a ${permissionCatalogue[permission].side} permission, not a ${side} one`);
    } else permissions.add(permission);
  });
  return [...permissions];
}

function checkBuyerAssignable(check: InputCheck, side: RoleSide, value: boolean | null | undefined) {
  if (value && side === "seller") check.fail("buyerAssignable", "applies to buyer roles only");
}

/** A seller role changes what the caller's colleagues hold: the caller must hold all of it. */
async function assertMayDefine(ctx: RequestContext, side: RoleSide, permissions: readonly Permission[]) {
  if (side !== "seller") return;
  const grant = await ctx.auth.access();
  assertMayGrant(grant.permissions, [{ permissions }]);
}

export async function createRole(ctx: RequestContext, input: RoleInput): Promise<RoleDefinition> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const key = check.text("key", input.key, { max: 50 }).toLowerCase();
  if (key && !keyPattern.test(key)) {
    check.fail("key", "must start with a letter and hold only lower-case letters, digits, - and _");
  }
  if (isBuiltInBuyerRole(key) || reservedKeys.has(key)) check.fail("key", "is the key of a built-in role");
  const name = check.text("name", input.name, { max: 100 });
  const description = check.optionalText("description", input.description, { max: 500 }) ?? "";
  const permissions = checkPermissions(check, input.permissions, input.side);
  checkBuyerAssignable(check, input.side, input.buyerAssignable);
  check.done();
  await assertMayDefine(ctx, input.side, permissions);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(customRoles)
        .values({
          id: newId(),
          organizationId,
          key,
          name,
          description,
          permissions,
          side: input.side,
          buyerAssignable: input.buyerAssignable ?? false,
        })
        .returning();
      await recordChange(tx, ctx, {
        operation: "createRole",
        targetIds: [row!.id],
        after: { key, name, description, permissions, side: input.side, buyerAssignable: row!.buyerAssignable },
        event: { type: "role.created", data: roleEventData(row!) },
      });
      return customRoleDefinition(row!);
    });
  } catch (error) {
    if (isUniqueViolation(error, "custom_roles_org_key_key")) {
      throw BadInputError.field("key", "is already the key of a role of your organization");
    }
    throw error;
  }
}

const roleEventData = (row: typeof customRoles.$inferSelect) => ({
  key: row.key,
  name: row.name,
  side: row.side,
  permissions: row.permissions,
  buyerAssignable: row.buyerAssignable,
});

/** Holders of a custom role that are API clients, which may never hold a permission needing a person. */
async function heldByClients(tx: Executor, organizationId: string, key: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(apiClients)
    .where(
      and(
        eq(apiClients.organizationId, organizationId),
        isNull(apiClients.revokedAt),
        sql`${key} = any(${apiClients.roles})`,
      ),
    );
  return row!.n;
}

export async function updateRole(ctx: RequestContext, key: string, changes: RoleChanges): Promise<RoleDefinition> {
  const organizationId = await ctx.auth.organizationId();
  const wanted = key.trim().toLowerCase();
  if (isBuiltInBuyerRole(wanted)) throw new BadInputError(`The built-in role ${wanted} cannot be changed`);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(customRoles)
      .where(and(eq(customRoles.organizationId, organizationId), eq(customRoles.key, wanted)))
      .for("update");
    if (!before) throw roleNotFound(wanted);
    const check = new InputCheck();
    // Null is "not given", as REST binds a field the body leaves out; an empty description clears it.
    const name = changes.name == null ? undefined : check.text("name", changes.name, { max: 100 });
    const description =
      changes.description == null
        ? undefined
        : (check.optionalText("description", changes.description, { max: 500 }) ?? "");
    const permissions =
      changes.permissions === undefined || changes.permissions === null
        ? undefined
        : checkPermissions(check, changes.permissions, before.side);
    checkBuyerAssignable(check, before.side, changes.buyerAssignable);
    check.done();
    if (permissions) {
      // Both what the holders lose and what they gain count as given by the caller.
      await assertMayDefine(ctx, before.side, [...before.permissions, ...permissions]);
      const personal = permissions.filter(needsPerson);
      if (before.side === "seller" && personal.length > 0 && (await heldByClients(tx, organizationId, wanted)) > 0) {
        throw BadInputError.field(
          "permissions",
          `cannot include ${personal.join(", ")} while an API client holds the role: a client has no person`,
        );
      }
    }
    const [row] = await tx
      .update(customRoles)
      .set({
        ...(name !== undefined && { name }),
        ...(description !== undefined && { description }),
        ...(permissions && { permissions }),
        ...(changes.buyerAssignable !== undefined &&
          changes.buyerAssignable !== null && { buyerAssignable: changes.buyerAssignable }),
        updatedAt: sql`now()`,
      })
      .where(byKey(customRoles, { organizationId, id: before.id }))
      .returning();
    await recordChange(tx, ctx, {
      operation: "updateRole",
      targetIds: [row!.id],
      before: roleEventData(before),
      after: roleEventData(row!),
      event: { type: "role.updated", data: roleEventData(row!) },
    });
    return customRoleDefinition(row!);
  });
}

/** Deletes a custom role nobody holds; while a member, an association or an API client holds it: 409. */
export async function deleteRole(ctx: RequestContext, key: string): Promise<RoleDefinition> {
  const organizationId = await ctx.auth.organizationId();
  const wanted = key.trim().toLowerCase();
  if (isBuiltInBuyerRole(wanted)) throw new BadInputError(`The built-in role ${wanted} cannot be deleted`);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(customRoles)
      .where(and(eq(customRoles.organizationId, organizationId), eq(customRoles.key, wanted)))
      .for("update");
    if (!row) throw roleNotFound(wanted);
    await assertMayDefine(ctx, row.side, row.permissions);
    const holding = sql`${wanted} = any(${organizationUsers.roleKeys})`;
    const [members] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(organizationUsers)
      .where(and(eq(organizationUsers.organizationId, organizationId), holding));
    const [associations] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(userCustomers)
      .where(and(eq(userCustomers.organizationId, organizationId), sql`${wanted} = any(${userCustomers.roleKeys})`));
    const clients = await heldByClients(tx, organizationId, wanted);
    const total = members!.n + associations!.n + clients;
    if (total > 0) {
      throw new ConflictError(
        `The role ${wanted} is still held by ${members!.n} member(s), ${associations!.n} customer user(s) and ${clients} API client(s); take it away first`,
      );
    }
    await tx.delete(customRoles).where(byKey(customRoles, { organizationId, id: row.id }));
    await recordChange(tx, ctx, {
      operation: "deleteRole",
      targetIds: [row.id],
      before: roleEventData(row),
      after: null,
      event: { type: "role.deleted", data: { key: row.key, name: row.name, side: row.side } },
    });
    return customRoleDefinition(row);
  });
}

/**
 * Gives a member exactly these custom seller roles. The caller must hold every permission of each
 * role it adds or takes away; Admin stays with assignOrganizationAdmin.
 */
export async function setUserRoles(ctx: RequestContext, userId: string, roleKeys: string[]) {
  const grant = await ctx.auth.access();
  const organizationId = grant.organizationId;
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  check.done();
  return ctx.db.transaction(async (tx) => {
    const [member] = await tx
      .select({ id: organizationUsers.id, roleKeys: organizationUsers.roleKeys })
      .from(organizationUsers)
      .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.userId, user)))
      .for("update");
    if (!member) throw BadInputError.field("userId", "does not match a user of your organization");
    const keys = normalizedKeys(roleKeys);
    const lookup = new InputCheck();
    const given = await rolesOfSide(tx, lookup, "roles", organizationId, keys, "seller");
    lookup.done();
    // Held keys always name a role: a role cannot be deleted while held.
    const dropped = member.roleKeys.filter((key) => !keys.includes(key));
    const removed = await rolesOfSide(tx, new InputCheck(), "roles", organizationId, dropped, "seller");
    assertMayGrant(grant.permissions, [...given.filter((role) => !member.roleKeys.includes(role.key)), ...removed]);
    await tx
      .update(organizationUsers)
      .set({ roleKeys: keys })
      .where(byKey(organizationUsers, { organizationId, id: member.id }));
    await recordChange(tx, ctx, {
      operation: "setUserRoles",
      targetIds: [user],
      before: { roles: member.roleKeys },
      after: { roles: keys },
      event: { type: "user.roles_changed", data: { userId: user, roles: keys } },
    });
    return (await findOrganizationUser(tx, organizationId, user))!;
  });
}

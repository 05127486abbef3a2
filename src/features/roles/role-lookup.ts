import { and, eq, inArray } from "drizzle-orm";
import {
  builtInBuyerRoles,
  builtInRolePermissions,
  isBuiltInBuyerRole,
  mayGive,
  type Permission,
  type RoleSide,
} from "../../auth/permissions.js";
import type { Executor } from "../../db/client.js";
import { ForbiddenError } from "../../errors.js";
import type { InputCheck } from "../../validation.js";
import { customRoles } from "./roles.tables.js";

/** A role as holders and answers see it: built-in buyer roles and custom roles alike. */
export interface RoleDefinition {
  key: string;
  name: string;
  description: string;
  permissions: Permission[];
  side: RoleSide;
  buyerAssignable: boolean;
  builtIn: boolean;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export const builtInBuyerRoleDefinitions: readonly RoleDefinition[] = Object.entries(builtInBuyerRoles).map(
  ([key, role]) => ({
    key,
    name: role.name,
    description: role.description,
    permissions: [...role.permissions],
    side: "buyer",
    buyerAssignable: true,
    builtIn: true,
    createdAt: null,
    updatedAt: null,
  }),
);

export function customRoleDefinition(row: typeof customRoles.$inferSelect): RoleDefinition {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    side: row.side,
    buyerAssignable: row.buyerAssignable,
    builtIn: false,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The built-in Admin role, for the no-escalation check of who may make or unmake an admin. */
export const adminRole = { permissions: builtInRolePermissions.Admin };

/** Keys as holders store them: trimmed, lower case, each once. */
export const normalizedKeys = (keys: readonly string[]): string[] => [
  ...new Set(keys.map((key) => key.trim().toLowerCase())),
];

/**
 * The roles of `side` these keys name in the organization, or a field error for each key that
 * names none. Custom roles are read `for share`, so a role cannot be deleted while it is given.
 */
export async function rolesOfSide(
  tx: Executor,
  check: InputCheck,
  field: string,
  organizationId: string,
  keys: readonly string[],
  side: RoleSide,
): Promise<RoleDefinition[]> {
  const wanted = normalizedKeys(keys);
  const custom = wanted.filter((key) => !isBuiltInBuyerRole(key));
  const rows =
    custom.length === 0
      ? []
      : await tx
          .select()
          .from(customRoles)
          .where(and(eq(customRoles.organizationId, organizationId), inArray(customRoles.key, custom)))
          .for("share");
  const found = new Map(rows.map((row) => [row.key, customRoleDefinition(row)]));
  for (const role of builtInBuyerRoleDefinitions) found.set(role.key, role);
  const roles: RoleDefinition[] = [];
  wanted.forEach((key, index) => {
    const role = found.get(key);
    if (role?.side === side) roles.push(role);
    else check.fail(`${field}[${index}]`, `does not name a ${side} role of your organization`);
  });
  return roles;
}

/**
 * No escalation: whoever gives or takes away a role must hold every permission in it, so a
 * holder of roles.manage cannot mint itself (or anyone) more than it has.
 */
export function assertMayGrant(
  held: ReadonlySet<Permission>,
  roles: readonly { permissions: readonly Permission[] }[],
): void {
  const missing = [...new Set(roles.flatMap((role) => role.permissions))].filter((p) => !mayGive(held, p));
  if (missing.length > 0) {
    throw new ForbiddenError(`You may not give or take away ${missing.join(", ")}: you do not hold it yourself`);
  }
}

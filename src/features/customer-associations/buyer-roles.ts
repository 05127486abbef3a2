import { and, eq, inArray, sql } from "drizzle-orm";
import { builtInBuyerRoles, isBuiltInBuyerRole, type Permission } from "../../auth/permissions.js";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { BadInputError, ForbiddenError, NotFoundError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import { customers } from "../customers/customers.tables.js";
import { assertMayGrant, normalizedKeys, rolesOfSide } from "../roles/role-lookup.js";
import { customRoles } from "../roles/roles.tables.js";
import { userCustomers } from "./customer-associations.tables.js";

/** The customer a buyer acts for: its own association in the token's organization. */
export interface BuyerScope {
  organizationId: string;
  userId: string;
  customerId: string;
  customerNumber: string;
  permissions: ReadonlySet<Permission>;
}

/**
 * The one definition of a buyer's reach: the customer of the caller's own association, never one
 * its token merely names (a rep acting for a customer has none of the buyer permissions).
 */
export async function buyerScope(ctx: RequestContext): Promise<BuyerScope> {
  const grant = await ctx.auth.userAccess();
  const [own] = await ctx.db
    .select({ customerId: userCustomers.customerId, customerNumber: customers.customerNumber })
    .from(userCustomers)
    .innerJoin(customers, eq(customers.id, userCustomers.customerId))
    .where(and(eq(userCustomers.organizationId, grant.organizationId), eq(userCustomers.userId, grant.userId)));
  if (!own) throw new ForbiddenError("This operation is for users of a customer");
  return { organizationId: grant.organizationId, userId: grant.userId, permissions: grant.permissions, ...own };
}

/** Who changes a customer user's roles: the seller (any buyer role), or a buyer of that customer. */
export type RoleChanger = { kind: "seller" } | { kind: "buyer"; held: ReadonlySet<Permission> };

export interface CustomerUserRoles {
  userId: string;
  customerNumber: string;
  organizationId: string;
  roles: string[];
}

/** Locks every association of one customer, for a change that must keep someone managing its users. */
export async function lockCustomerUsers(tx: Executor, organizationId: string, customerId: string) {
  return tx
    .select({ userId: userCustomers.userId, roleKeys: userCustomers.roleKeys })
    .from(userCustomers)
    .where(and(eq(userCustomers.organizationId, organizationId), eq(userCustomers.customerId, customerId)))
    .orderBy(userCustomers.userId)
    .for("update");
}

/**
 * Refuses a buyer's change that would leave its customer with nobody holding
 * customer.users.manage, as the last admin of an organization stays.
 */
export async function assertSomeoneStillManages(
  tx: Executor,
  organizationId: string,
  after: readonly { roleKeys: readonly string[] }[],
): Promise<void> {
  const keys = [...new Set(after.flatMap((user) => user.roleKeys))];
  const custom = keys.filter((key) => !isBuiltInBuyerRole(key));
  const managing = new Set(
    keys.filter((key) => isBuiltInBuyerRole(key) && hasManage(builtInBuyerRoles[key].permissions)),
  );
  if (custom.length > 0) {
    const rows = await tx
      .select({ key: customRoles.key })
      .from(customRoles)
      .where(
        and(
          eq(customRoles.organizationId, organizationId),
          inArray(customRoles.key, custom),
          sql`'customer.users.manage' = any(${customRoles.permissions})`,
        ),
      );
    rows.forEach((row) => managing.add(row.key));
  }
  if (!after.some((user) => user.roleKeys.some((key) => managing.has(key)))) {
    throw new BadInputError(
      "The customer would have nobody left who manages its users (customer.users.manage); give the permission to someone else first",
    );
  }
}

const hasManage = (permissions: readonly Permission[]) => permissions.includes("customer.users.manage");

/**
 * Gives one user of a customer exactly these buyer roles. A buyer may give only buyer-assignable
 * roles, and give or take away only what it holds itself, and must leave someone managing users.
 */
export async function setBuyerRoles(
  ctx: RequestContext,
  target: { organizationId: string; userId: string; customerId: string; customerNumber: string },
  roleKeys: readonly string[],
  by: RoleChanger,
): Promise<CustomerUserRoles> {
  const keys = normalizedKeys(roleKeys);
  return ctx.db.transaction(async (tx) => {
    const users = await lockCustomerUsers(tx, target.organizationId, target.customerId);
    const current = users.find((user) => user.userId === target.userId);
    if (!current) throw new NotFoundError(`No user ${target.userId} belongs to customer ${target.customerNumber}`);
    const check = new InputCheck();
    if (keys.length === 0) check.fail("roles", "must name at least one role");
    const given = await rolesOfSide(tx, check, "roles", target.organizationId, keys, "buyer");
    const added = given.filter((role) => !current.roleKeys.includes(role.key));
    if (by.kind === "buyer") {
      added.forEach((role) => {
        if (!role.buyerAssignable) check.fail(`roles[${keys.indexOf(role.key)}]`, "is not a role a customer may give");
      });
    }
    check.done();
    if (by.kind === "buyer") {
      const dropped = current.roleKeys.filter((key) => !keys.includes(key));
      const removed = await rolesOfSide(tx, new InputCheck(), "roles", target.organizationId, dropped, "buyer");
      assertMayGrant(by.held, [...added, ...removed]);
      const after = users.map((user) => (user.userId === target.userId ? { ...user, roleKeys: keys } : user));
      await assertSomeoneStillManages(tx, target.organizationId, after);
    }
    await tx
      .update(userCustomers)
      .set({ roleKeys: keys })
      .where(and(eq(userCustomers.organizationId, target.organizationId), eq(userCustomers.userId, target.userId)));
    await recordChange(tx, ctx, {
      operation: by.kind === "seller" ? "setCustomerUserRoles" : "setMyCustomerUserRoles",
      targetIds: [target.userId, target.customerId],
      before: { roles: current.roleKeys },
      after: { roles: keys },
      event: {
        type: "customer_user.roles_changed",
        data: { userId: target.userId, customerNumber: target.customerNumber, roles: keys },
      },
    });
    return {
      userId: target.userId,
      customerNumber: target.customerNumber,
      organizationId: target.organizationId,
      roles: keys,
    };
  });
}

import { and, eq, inArray, sql } from "drizzle-orm";
import { builtInBuyerRoles, isBuiltInBuyerRole, type Permission } from "../../auth/permissions.js";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { BadInputError, ForbiddenError, NotFoundError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import { reachedCustomer } from "../customers/customer-reach.js";
import { customers } from "../customers/customers.tables.js";
import { assertMayGrant, normalizedKeys, rolesOfSide } from "../roles/role-lookup.js";
import { customRoles } from "../roles/roles.tables.js";
import { userCustomers, type BuyerScopeKind } from "./customer-associations.tables.js";

/** The customer a buyer acts on, and what the buyer's own association gives it. */
export interface BuyerScope {
  organizationId: string;
  userId: string;
  customerId: string;
  customerNumber: string;
  permissions: ReadonlySet<Permission>;
  /** The scope of the caller's own association: only `self_and_descendants` may give it. */
  ownScope: BuyerScopeKind;
}

/**
 * The customer a buyer operation acts on: the one named, else the one the token names, and only
 * when the caller reaches it through its own association (inReach as a buyer: its customer, and
 * the ones below it when its scope inherits). A rep acting for a customer has no association there,
 * and a customer out of reach, unknown or of another organization, gets the same 403.
 */
export async function buyerScope(ctx: RequestContext, customerNumber?: string | null): Promise<BuyerScope> {
  const check = new InputCheck();
  const named = check.optionalText("customerNumber", customerNumber, { max: 100 });
  check.done();
  const grant = await ctx.auth.userAccess();
  const [own] = await ctx.db
    .select({ customerNumber: customers.customerNumber, scope: userCustomers.scope })
    .from(userCustomers)
    .innerJoin(
      customers,
      and(eq(customers.organizationId, userCustomers.organizationId), eq(customers.id, userCustomers.customerId)),
    )
    .where(and(eq(userCustomers.organizationId, grant.organizationId), eq(userCustomers.userId, grant.userId)));
  if (!own) throw new ForbiddenError("This operation is for users of a customer");
  const wanted = named ?? grant.customerNumber ?? own.customerNumber;
  const reached = await reachedCustomer(
    ctx.db,
    { userId: grant.userId, organizationId: grant.organizationId, asBuyer: true, asRep: false },
    { customerNumber: wanted },
  );
  if (!reached) throw new ForbiddenError(`You may not manage customer ${wanted}`);
  return {
    organizationId: grant.organizationId,
    userId: grant.userId,
    permissions: grant.permissions,
    ownScope: own.scope,
    customerId: reached.id,
    customerNumber: reached.customerNumber,
  };
}

/**
 * Who changes a customer user's roles: the seller (any buyer role, any scope), or a buyer who
 * reaches that customer, with the scope of its own association.
 */
export type RoleChanger =
  { kind: "seller" } | { kind: "buyer"; held: ReadonlySet<Permission>; ownScope: BuyerScopeKind };

export interface CustomerUserRoles {
  userId: string;
  customerNumber: string;
  organizationId: string;
  roles: string[];
  scope: BuyerScopeKind;
}

/**
 * Refuses a buyer's change of a scope unless its own association inherits: `self_and_descendants`
 * reaches customers below the target, which a caller with `self` does not reach itself.
 */
export function assertMayGiveScope(by: RoleChanger, from: BuyerScopeKind | undefined, to: BuyerScopeKind): void {
  if (by.kind === "buyer" && from !== to && by.ownScope !== "self_and_descendants") {
    throw new ForbiddenError("Only a user whose own scope is self_and_descendants may give or take away that scope");
  }
}

/** Locks every association of one customer, for a change that must keep someone managing its users. */
export async function lockCustomerUsers(tx: Executor, organizationId: string, customerId: string) {
  return tx
    .select({ userId: userCustomers.userId, roleKeys: userCustomers.roleKeys, scope: userCustomers.scope })
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
 * Gives one user of a customer exactly these buyer roles, and the scope when one is given (else it
 * keeps its own). A buyer may give only buyer-assignable roles, give or take away only what it
 * holds itself, change a scope only with an inheriting scope of its own, and must leave someone
 * managing users.
 */
export async function setBuyerRoles(
  ctx: RequestContext,
  target: { organizationId: string; userId: string; customerId: string; customerNumber: string },
  roleKeys: readonly string[],
  by: RoleChanger,
  scope?: BuyerScopeKind | null,
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
    const nextScope = scope ?? current.scope;
    assertMayGiveScope(by, current.scope, nextScope);
    if (by.kind === "buyer") {
      const dropped = current.roleKeys.filter((key) => !keys.includes(key));
      const removed = await rolesOfSide(tx, new InputCheck(), "roles", target.organizationId, dropped, "buyer");
      assertMayGrant(by.held, [...added, ...removed]);
      const after = users.map((user) => (user.userId === target.userId ? { ...user, roleKeys: keys } : user));
      await assertSomeoneStillManages(tx, target.organizationId, after);
    }
    await tx
      .update(userCustomers)
      .set({ roleKeys: keys, scope: nextScope })
      .where(and(eq(userCustomers.organizationId, target.organizationId), eq(userCustomers.userId, target.userId)));
    await recordChange(tx, ctx, {
      operation: by.kind === "seller" ? "setCustomerUserRoles" : "setMyCustomerUserRoles",
      targetIds: [target.userId, target.customerId],
      before: { roles: current.roleKeys, scope: current.scope },
      after: { roles: keys, scope: nextScope },
      event: {
        type: "customer_user.roles_changed",
        data: { userId: target.userId, customerNumber: target.customerNumber, roles: keys, scope: nextScope },
      },
    });
    return {
      userId: target.userId,
      customerNumber: target.customerNumber,
      organizationId: target.organizationId,
      roles: keys,
      scope: nextScope,
    };
  });
}

import { and, asc, eq, exists, isNull, sql } from "drizzle-orm";
import { isForeignKeyViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, NotFoundError } from "../../errors.js";
import { runCompiled, type Selection } from "../../db/json-select.js";
import { filterCondition, paginateCompiled, type PageResult } from "../../pagination.js";
import {
  compileAssociationList,
  compileAssociationRows,
  everyAssociationField,
  type CompiledAssociations,
} from "./association-shape.js";
import { associationListSpec } from "./association-list.js";
import { InputCheck } from "../../validation.js";
import { customers } from "../customers/customers.tables.js";
import { organizationUsers } from "../organizations/organizations.tables.js";
import { defaultBuyerRole } from "../../auth/permissions.js";
import { setBuyerRoles } from "./buyer-roles.js";
import { userCustomers, type BuyerScopeKind } from "./customer-associations.tables.js";
import type { UserCustomerAssociationsArgs } from "./customer-associations.types.js";

export interface Association {
  userId: string;
  customerNumber: string;
  organizationId: string;
  /** The buyer role keys the user holds for the customer. */
  roles: string[];
  /** Whether the roles reach the customers below this one too. */
  scope: BuyerScopeKind;
}

/** The rows of a compiled association statement, as the objects they build. */
async function readAssociations(ctx: RequestContext, statement: CompiledAssociations, values: Record<string, unknown>) {
  const rows = await runCompiled(ctx.db, statement.text, statement.params, { ...statement.values, ...values });
  return rows.map(([item]) => JSON.parse(item as string) as Association);
}

/** The user's association in the organization, by one compiled statement with the fields `selection` asks for. */
function associationOf(ctx: RequestContext, organizationId: string, userId: string, selection: Selection) {
  const where = and(
    eq(userCustomers.organizationId, sql.placeholder("organizationId")),
    eq(userCustomers.userId, userId),
  )!;
  return readAssociations(ctx, compileAssociationRows(selection, [asc(userCustomers.id)], where), { organizationId });
}

/**
 * Links a member of the organization to one of its customers. A user has one customer per
 * organization, so associating again moves the user to the new customer, where it starts as a
 * `buyer` of scope `self`: roles given for one customer say nothing about another.
 */
export async function associateUserCustomer(
  ctx: RequestContext,
  userId: string,
  customerNumber: string,
): Promise<Association> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  const number = check.text("customerNumber", customerNumber, { max: 100 });
  check.done();

  const [[member], [customer]] = await Promise.all([
    ctx.db
      .select({ userId: organizationUsers.userId })
      .from(organizationUsers)
      .where(and(eq(organizationUsers.organizationId, organizationId), eq(organizationUsers.userId, user))),
    ctx.db
      .select({ id: customers.id, customerNumber: customers.customerNumber })
      .from(customers)
      .where(and(eq(customers.organizationId, organizationId), eq(customers.customerNumber, number))),
  ]);
  if (!member) check.fail("userId", "does not match a user of your organization");
  if (!customer) check.fail("customerNumber", "does not match a customer of your organization");
  check.done();

  try {
    await ctx.db.transaction(async (tx) => {
      const [before] = await tx
        .select({ customerId: userCustomers.customerId, roleKeys: userCustomers.roleKeys })
        .from(userCustomers)
        .where(and(eq(userCustomers.organizationId, organizationId), eq(userCustomers.userId, user)))
        .for("update");
      await tx
        .insert(userCustomers)
        .values({ id: newId(), organizationId, userId: user, customerId: customer!.id })
        .onConflictDoUpdate({
          target: [userCustomers.organizationId, userCustomers.userId],
          set: {
            customerId: customer!.id,
            createdAt: sql`now()`,
            roleKeys: sql`case when ${userCustomers.customerId} = excluded.customer_id then ${userCustomers.roleKeys} else array[${defaultBuyerRole}]::text[] end`,
            scope: sql`case when ${userCustomers.customerId} = excluded.customer_id then ${userCustomers.scope} else 'self' end`,
          },
        });
      await recordChange(tx, ctx, {
        operation: "associateUserCustomer",
        targetIds: [user, customer!.id],
        before: before && { customerId: before.customerId },
        after: { customerId: customer!.id },
        event: {
          type: "association.created",
          data: { userId: user, customerId: customer!.id, customerNumber: customer!.customerNumber },
        },
      });
    });
  } catch (error) {
    // The user or the customer was removed between the checks and the write.
    if (isForeignKeyViolation(error)) throw new BadInputError("The user or the customer no longer exists");
    throw error;
  }
  const [association] = await associationOf(ctx, organizationId, user, everyAssociationField);
  return (
    association ?? {
      userId: user,
      customerNumber: customer!.customerNumber,
      organizationId,
      roles: [defaultBuyerRole],
      scope: "self",
    }
  );
}

/**
 * The seller gives a customer user exactly these buyer roles (any buyer role, built-in or custom),
 * and the scope they reach when one is given.
 */
export async function setCustomerUserRoles(
  ctx: RequestContext,
  userId: string,
  customerNumber: string,
  roleKeys: string[],
  scope?: BuyerScopeKind | null,
): Promise<Association> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  const number = check.text("customerNumber", customerNumber, { max: 100 });
  check.done();
  const [association] = await ctx.db
    .select({ customerId: userCustomers.customerId })
    .from(userCustomers)
    .innerJoin(
      customers,
      and(eq(customers.organizationId, userCustomers.organizationId), eq(customers.id, userCustomers.customerId)),
    )
    .where(
      and(
        eq(userCustomers.organizationId, organizationId),
        eq(userCustomers.userId, user),
        eq(customers.customerNumber, number),
      ),
    );
  if (!association) {
    throw BadInputError.field("userId", `is not associated with customer ${number} in your organization`);
  }
  return setBuyerRoles(
    ctx,
    { organizationId, userId: user, customerId: association.customerId, customerNumber: number },
    roleKeys,
    { kind: "seller" },
    scope,
  );
}

/** Undoes an association: the user stops acting for the customer (the Customer role goes on the next request). */
export async function dissociateUserCustomer(
  ctx: RequestContext,
  userId: string,
  customerNumber: string,
): Promise<Association> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  const number = check.text("customerNumber", customerNumber, { max: 100 });
  check.done();
  return ctx.db.transaction(async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id, customerNumber: customers.customerNumber })
      .from(customers)
      .where(and(eq(customers.organizationId, organizationId), eq(customers.customerNumber, number)));
    const [removed] = customer
      ? await tx
          .delete(userCustomers)
          .where(
            and(
              eq(userCustomers.organizationId, organizationId),
              eq(userCustomers.userId, user),
              eq(userCustomers.customerId, customer.id),
            ),
          )
          .returning({
            customerId: userCustomers.customerId,
            roleKeys: userCustomers.roleKeys,
            scope: userCustomers.scope,
          })
      : [];
    if (!removed) {
      throw new BadInputError("The user is not associated with that customer in your organization", {
        userId: "is not associated with customerNumber",
      });
    }
    await recordChange(tx, ctx, {
      operation: "dissociateUserCustomer",
      targetIds: [user, customer!.id],
      before: { customerId: customer!.id },
      after: { customerId: null },
      event: {
        type: "association.removed",
        data: { userId: user, customerId: customer!.id, customerNumber: customer!.customerNumber },
      },
    });
    return {
      userId: user,
      customerNumber: customer!.customerNumber,
      organizationId,
      roles: removed.roleKeys,
      scope: removed.scope,
    };
  });
}

/**
 * A page of the organization's associations with the fields `selection` asks for, built as JSON
 * by one compiled, prepared statement (association-shape.ts) with the tenant and the filters in it.
 */
export async function listAssociations(
  ctx: RequestContext,
  args: UserCustomerAssociationsArgs,
  selection: Selection,
): Promise<PageResult<Association>> {
  const organizationId = await ctx.auth.organizationId();
  const where = and(
    eq(userCustomers.organizationId, sql.placeholder("organizationId")),
    filterCondition(args.filters, associationListSpec),
  )!;
  return paginateCompiled<Association>(
    ctx.db,
    args,
    associationListSpec,
    (orderBy) => compileAssociationList(selection, orderBy, where),
    { organizationId },
  );
}

/** The user's association in the caller's organization, with the fields `selection` asks for. */
export async function getAssociation(ctx: RequestContext, userId: string, selection: Selection): Promise<Association> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  check.done();
  const [association] = await associationOf(ctx, organizationId, user, selection);
  if (!association) throw new NotFoundError("No customer association exists for this user in your organization");
  return association;
}

/**
 * The user's associations in every organization the caller administers, and no other; an API
 * client administers only its own organization. One compiled statement, the rule in it.
 */
export async function listUserAssociations(
  ctx: RequestContext,
  userId: string,
  selection: Selection,
): Promise<Association[]> {
  const caller = await ctx.auth.access();
  const check = new InputCheck();
  const user = check.text("userId", userId, { max: 100 });
  check.done();
  const administered =
    caller.actor.kind === "client"
      ? eq(userCustomers.organizationId, caller.organizationId)
      : exists(
          ctx.db
            .select({ one: sql`1` })
            .from(organizationUsers)
            .where(
              and(
                eq(organizationUsers.organizationId, userCustomers.organizationId),
                eq(organizationUsers.userId, caller.actor.userId),
                eq(organizationUsers.isAdmin, true),
                isNull(organizationUsers.pendingSince),
              ),
            ),
        );
  const where = and(eq(userCustomers.userId, user), administered)!;
  return readAssociations(ctx, compileAssociationRows(selection, [asc(userCustomers.organizationId)], where), {});
}

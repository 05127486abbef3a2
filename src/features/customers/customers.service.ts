import DataLoader from "dataloader";
import { and, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { isForeignKeyViolation } from "../../db/errors.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, NotFoundError, type FieldErrors } from "../../errors.js";
import { applyCustomerUpserts, unknownTier } from "./customer-upsert.js";
import {
  filterCondition,
  paginate,
  paginateCompiled,
  totalCountColumn,
  type ListQuery,
  type PageResult,
} from "../../pagination.js";
import { ancestorsSql, descendantIdsSql } from "./customer-tree.js";
import { customerListSpec } from "./customer-list.js";
import { InputCheck } from "../../validation.js";
import { priceTierById } from "../price-tiers/price-tiers.service.js";
import { inReach, reachedCustomer } from "./customer-reach.js";
import { compileCustomerList, type CompiledCustomer } from "./customer-shape.js";
import type { Selection } from "../../db/json-select.js";
import { customers, type CustomerRow } from "./customers.tables.js";
import type { CustomersArgs, UpsertCustomerInput } from "./customers.types.js";

/** One item's problems as the one 400, worded as InputCheck words it. */
export function itemProblem(errors: FieldErrors): BadInputError {
  const entries = Object.entries(errors);
  const [[field, problem]] = entries as [[string, string]];
  const message = entries.length === 1 ? `${field} ${problem}` : `The input has ${entries.length} invalid fields`;
  return new BadInputError(message, errors);
}

/**
 * Creates the customer, or updates the one with that customerNumber. On update only the fields
 * given change (null clears one); on create the omitted ones are empty and `active` is true.
 */
export async function upsertCustomer(ctx: RequestContext, input: UpsertCustomerInput): Promise<CustomerRow> {
  const organizationId = await ctx.auth.organizationId();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [outcome] = await applyCustomerUpserts(tx, organizationId, [input], { partial: false });
      if (outcome!.status === "error") throw itemProblem(outcome!.errors!);
      const { before, after: customer } = outcome!;
      await recordChange(tx, ctx, {
        operation: "upsertCustomer",
        targetIds: [customer!.id],
        before,
        after: customer,
        event: {
          type: "customer.upserted",
          data: {
            customerId: customer!.id,
            customerNumber: customer!.customerNumber,
            companyName: customer!.companyName,
            created: !before,
          },
        },
      });
      return customer!;
    });
  } catch (error) {
    // The tier was deleted between the lookup and the write.
    if (isForeignKeyViolation(error)) throw BadInputError.field("pricing", unknownTier);
    throw error;
  }
}

export async function listCustomers(
  ctx: RequestContext,
  args: CustomersArgs,
  selection: Selection,
): Promise<PageResult<CompiledCustomer>> {
  return pageOfCustomers(ctx, eq(customers.organizationId, sql.placeholder("organizationId")), args, selection);
}

/**
 * A page of the customers `scope` selects with the fields `selection` asks for, built by one
 * compiled, prepared statement (customer-shape.ts); `scope` must confine it to one organization.
 * The tree filters narrow it to a parent's children or to a root and everything below it.
 */
export async function pageOfCustomers(
  ctx: RequestContext,
  scope: SQL,
  args: CustomersArgs,
  selection: Selection,
): Promise<PageResult<CompiledCustomer>> {
  const organizationId = await ctx.auth.organizationId();
  const where = and(scope, filterCondition(args.filters, customerListSpec), ...treeFilters(organizationId, args))!;
  const visible = await visibleRule(ctx);
  const callerUserId = visible ? await ctx.auth.userId() : null;
  return paginateCompiled<CompiledCustomer>(
    ctx.db,
    args,
    customerListSpec,
    (orderBy) => compileCustomerList(selection, orderBy, { where, visible }),
    { organizationId, callerUserId },
  );
}

function pageOf(ctx: RequestContext, where: SQL | undefined, args: ListQuery): Promise<PageResult<CustomerRow>> {
  return paginate(args, customerListSpec, (window) =>
    ctx.db
      .select({ ...getTableColumns(customers), totalCount: totalCountColumn })
      .from(customers)
      .where(where)
      .orderBy(...window.orderBy)
      .limit(window.limit)
      .offset(window.offset),
  );
}

function treeFilters(organizationId: string, args: CustomersArgs): SQL[] {
  const check = new InputCheck();
  const parent = check.optionalText("parentCustomerNumber", args.parentCustomerNumber, { max: 100 });
  const root = check.optionalText("rootCustomerNumber", args.rootCustomerNumber, { max: 100 });
  check.done();
  const idOf = (customerNumber: string) =>
    sql`(select id from customers where organization_id = ${organizationId} and customer_number = ${customerNumber})`;
  const filters: SQL[] = [];
  if (parent) filters.push(sql`${customers.parentId} = ${idOf(parent)}`);
  if (root) filters.push(inArray(customers.id, descendantIdsSql(organizationId, idOf(root))));
  return filters;
}

/** customers.read_assigned is a rep's permission: it reaches the rep's customers, not its association's. */
const asRep = { asBuyer: false, asRep: true };

/** What the caller may see of the organization's customers: all with customers.read, a rep's own with read_assigned. */
async function visibleScope(ctx: RequestContext): Promise<SQL> {
  const grant = await ctx.auth.access();
  if (grant.permissions.has("customers.read")) return eq(customers.organizationId, grant.organizationId);
  if (!grant.permissions.has("customers.read_assigned")) return sql`false`;
  return inReach(ctx.db, { userId: await ctx.auth.userId(), organizationId: grant.organizationId, ...asRep });
}

/**
 * visibleScope for a compiled statement: null for the whole organization, otherwise the condition
 * with the placeholders `organizationId` and `callerUserId`, so its text depends on the rule alone.
 */
async function visibleRule(ctx: RequestContext): Promise<SQL | null> {
  const grant = await ctx.auth.access();
  if (grant.permissions.has("customers.read")) return null;
  if (!grant.permissions.has("customers.read_assigned")) return sql`false`;
  return inReach(ctx.db, {
    userId: sql.placeholder("callerUserId"),
    organizationId: sql.placeholder("organizationId"),
    ...asRep,
  });
}

/** Customers by id, as far as the caller may see them, for one request. */
export const visibleCustomerById = (ctx: RequestContext) =>
  new DataLoader<string, CustomerRow | null>(async (ids) => {
    const rows = await ctx.db
      .select()
      .from(customers)
      .where(and(await visibleScope(ctx), inArray(customers.id, [...ids])));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** The parent, when there is one the caller may see. */
export async function customerParent(ctx: RequestContext, customer: CustomerRow): Promise<CustomerRow | null> {
  return customer.parentId ? ctx.loaders.get(visibleCustomerById).load(customer.parentId) : null;
}

/** A page of the customer's direct children the caller may see. */
export async function customerChildren(ctx: RequestContext, customer: CustomerRow, args: ListQuery) {
  return pageOf(ctx, and(await visibleScope(ctx), eq(customers.parentId, customer.id)), args);
}

/** The customer's ancestors the caller may see, its parent first and its root last. */
export async function customerAncestors(ctx: RequestContext, customer: CustomerRow): Promise<CustomerRow[]> {
  const up = sql`${ancestorsSql(customer.organizationId, sql`${customer.id}`)}`;
  const rows = await ctx.db
    .select({ ...getTableColumns(customers), distance: sql<number>`up.distance` })
    .from(customers)
    .innerJoin(
      sql`${up} as up`,
      sql`${customers.organizationId} = ${customer.organizationId} and up.id = ${customers.id}`,
    )
    .where(await visibleScope(ctx))
    .orderBy(sql`up.distance`);
  return rows;
}

/** One customer: any of the organization's for an admin, a rep's own customers for a sales rep. */
export async function getCustomer(ctx: RequestContext, customerNumber: string): Promise<CustomerRow> {
  const check = new InputCheck();
  const number = check.text("customerNumber", customerNumber, { max: 100 });
  check.done();
  const customer = await findVisibleCustomer(ctx, eq(customers.customerNumber, number));
  // A customer the caller may not see gets the same answer as one that does not exist.
  if (!customer) throw new NotFoundError(`No customer ${number} exists in your organization`);
  return customer;
}

/**
 * The customer the caller's token acts for (its association, or the customer a rep acts for),
 * with the credit hold read for this request.
 */
export async function getMyCustomer(ctx: RequestContext): Promise<CustomerRow> {
  const grant = await ctx.auth.userAccess();
  if (!grant.customerNumber) throw new NotFoundError("Your token does not act for a customer");
  const [customer] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.organizationId, grant.organizationId), eq(customers.customerNumber, grant.customerNumber)));
  if (!customer) throw new NotFoundError(`No customer ${grant.customerNumber} exists in your organization`);
  return { ...customer, creditHold: grant.creditHold ?? customer.creditHold };
}

/** A federated reference to a customer, seen as `customer` would see it; null when out of reach. */
export async function customerReference(ctx: RequestContext, id: string): Promise<CustomerRow | null> {
  return (await findVisibleCustomer(ctx, eq(customers.id, id))) ?? null;
}

/** The customer `match` selects in the caller's organization, if the caller may see it. */
async function findVisibleCustomer(ctx: RequestContext, match: SQL): Promise<CustomerRow | undefined> {
  const grant = await ctx.auth.access();
  const [customer] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.organizationId, grant.organizationId), match));
  // Without customers.read the caller holds customers.read_assigned (the declaration): its rep scope.
  if (!customer || grant.permissions.has("customers.read")) return customer;
  const inScope = await reachedCustomer(
    ctx.db,
    { userId: await ctx.auth.userId(), organizationId: grant.organizationId, ...asRep },
    { customerId: customer.id },
  );
  return inScope ? customer : undefined;
}

/** The customer's own tier, batched across a page, for a customer no compiled list built. */
export async function customerPriceTier(ctx: RequestContext, customer: CustomerRow) {
  return customer.priceTierId ? ctx.loaders.get(priceTierById).load(customer.priceTierId) : null;
}

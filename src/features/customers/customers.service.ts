import { and, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import { isForeignKeyViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError, NotFoundError } from "../../errors.js";
import { filterCondition, paginate, totalCountColumn, type PageResult } from "../../pagination.js";
import { customerListSpec } from "./customer-list.js";
import { InputCheck } from "../../validation.js";
import { findPriceTierByName, priceTierById } from "../price-tiers/price-tiers.service.js";
import { repCustomerId } from "./rep-scope.js";
import { customers, type CustomerRow } from "./customers.tables.js";
import type { CustomersArgs, UpsertCustomerInput } from "./customers.types.js";

const unknownTier = "does not name a price tier of your organization";

/**
 * Creates the customer, or updates the one with that customerNumber. On update only the fields
 * given change (null clears one); on create the omitted ones are empty and `active` is true.
 */
export async function upsertCustomer(ctx: RequestContext, input: UpsertCustomerInput): Promise<CustomerRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const customerNumber = check.text("customerNumber", input.customerNumber, { max: 100 });
  const companyName = check.text("companyName", input.companyName);
  const given = {
    companyEmail: check.optionalEmail("companyEmail", input.companyEmail),
    companyPhone: check.phone("companyPhone", input.companyPhone),
    companyFax: check.phone("companyFax", input.companyFax),
    repNumber: check.optionalText("repNumber", input.repNumber, { max: 50 }),
    terms: check.optionalText("terms", input.terms, { max: 100 }),
    externalId: check.optionalText("externalId", input.externalId, { max: 100 }),
    customerAttributes: input.customerAttributes,
    active: input.active ?? undefined,
    priceTierId: undefined as string | null | undefined,
  };
  const pricing = check.optionalText("pricing", input.pricing, { max: 100 });
  if (pricing !== undefined) given.priceTierId = null;
  if (pricing) {
    const tier = await findPriceTierByName(ctx.db, organizationId, pricing);
    if (tier) given.priceTierId = tier.id;
    else check.fail("pricing", unknownTier);
  }
  check.done();

  const changes = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  try {
    return await ctx.db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.organizationId, organizationId), eq(customers.customerNumber, customerNumber)))
        .for("update");
      const [customer] = await tx
        .insert(customers)
        .values({ id: newId(), organizationId, customerNumber, companyName, ...changes })
        .onConflictDoUpdate({
          target: [customers.organizationId, customers.customerNumber],
          set: { companyName, ...changes, updatedAt: sql`now()` },
        })
        .returning();
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

export async function listCustomers(ctx: RequestContext, args: CustomersArgs): Promise<PageResult<CustomerRow>> {
  const organizationId = await ctx.auth.organizationId();
  return pageOfCustomers(ctx, eq(customers.organizationId, organizationId), args);
}

/** A page of the customers `scope` selects; `scope` must confine it to one organization. */
export async function pageOfCustomers(
  ctx: RequestContext,
  scope: SQL,
  args: CustomersArgs,
): Promise<PageResult<CustomerRow>> {
  const where = and(scope, filterCondition(args.filters, customerListSpec));
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
  const inScope = await repCustomerId(ctx.db, await ctx.auth.userId(), grant.organizationId, {
    customerId: customer.id,
  });
  return inScope ? customer : undefined;
}

/** The customer's own tier, batched across a page. */
export async function customerPriceTier(ctx: RequestContext, customer: CustomerRow) {
  return customer.priceTierId ? ctx.loaders.get(priceTierById).load(customer.priceTierId) : null;
}

import DataLoader from "dataloader";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { ForbiddenError, NotFoundError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import { reachedCustomer } from "../customers/customer-reach.js";
import { customers, type CustomerRow } from "../customers/customers.tables.js";
import { applyAddressUpserts, readAddresses, type AddressOutcome } from "./address-upsert.js";
import { customerAddresses, type CustomerAddressRow } from "./customer-addresses.tables.js";
import type { CustomerAddressInput } from "./customer-addresses.types.js";

const noCustomer = (customerNumber: string) =>
  new NotFoundError(`No customer ${customerNumber} exists in your organization`);

/**
 * With customers.read every customer's addresses; otherwise those of a customer the caller
 * reaches (inReach): as a buyer holding customer.addresses.read (its own customer, and those below
 * it with an inheriting scope), or as a rep holding customers.read_assigned (its rep scope).
 */
async function requireAddressReader(ctx: RequestContext, customerNumber: string): Promise<string> {
  const grant = await ctx.auth.access();
  if (grant.permissions.has("customers.read")) return grant.organizationId;
  if (
    await reaches(ctx, customerNumber, {
      asBuyer: grant.permissions.has("customer.addresses.read"),
      asRep: grant.permissions.has("customers.read_assigned"),
    })
  ) {
    return grant.organizationId;
  }
  throw new ForbiddenError(
    "Reading a customer's addresses requires the customers.read permission, or customer.addresses.read or customers.read_assigned for a customer one reaches",
  );
}

/** With customers.manage any customer's addresses; with customer.addresses.manage those a buyer reaches. */
async function requireAddressWriter(ctx: RequestContext, customerNumber: string): Promise<string> {
  const grant = await ctx.auth.access();
  if (grant.permissions.has("customers.manage")) return grant.organizationId;
  if (
    await reaches(ctx, customerNumber, { asBuyer: grant.permissions.has("customer.addresses.manage"), asRep: false })
  ) {
    return grant.organizationId;
  }
  throw new ForbiddenError(
    "Changing a customer's addresses requires the customers.manage permission, or customer.addresses.manage for a customer one reaches",
  );
}

async function reaches(
  ctx: RequestContext,
  customerNumber: string,
  grounds: { asBuyer: boolean; asRep: boolean },
): Promise<boolean> {
  if (!grounds.asBuyer && !grounds.asRep) return false;
  const grant = await ctx.auth.userAccess();
  const who = { userId: grant.userId, organizationId: grant.organizationId, ...grounds };
  return (await reachedCustomer(ctx.db, who, { customerNumber })) !== undefined;
}

async function findCustomer(db: Executor, organizationId: string, customerNumber: string, lock = false) {
  const query = db
    .select()
    .from(customers)
    .where(and(eq(customers.organizationId, organizationId), eq(customers.customerNumber, customerNumber)));
  const [customer] = lock ? await query.for("update") : await query;
  if (!customer) throw noCustomer(customerNumber);
  return customer;
}

function customerNumberOf(value: string): string {
  const check = new InputCheck();
  const number = check.text("customerNumber", value, { max: 100 });
  check.done();
  return number;
}

/** One customer's addresses, by address number. */
export async function listCustomerAddresses(
  ctx: RequestContext,
  customerNumber: string,
): Promise<CustomerAddressRow[]> {
  const number = customerNumberOf(customerNumber);
  const organizationId = await requireAddressReader(ctx, number);
  const customer = await findCustomer(ctx.db, organizationId, number);
  return ctx.db
    .select()
    .from(customerAddresses)
    .where(and(eq(customerAddresses.organizationId, organizationId), eq(customerAddresses.customerId, customer.id)))
    .orderBy(asc(customerAddresses.addressNumber));
}

/** Addresses by customer id for one request, so a page of customers costs one address query. */
const addressesByCustomerId = (ctx: RequestContext) =>
  new DataLoader<string, CustomerAddressRow[]>(async (ids) => {
    const organizationId = await ctx.auth.organizationId();
    const rows = await ctx.db
      .select()
      .from(customerAddresses)
      .where(and(eq(customerAddresses.organizationId, organizationId), inArray(customerAddresses.customerId, [...ids])))
      .orderBy(asc(customerAddresses.addressNumber));
    return ids.map((id) => rows.filter((row) => row.customerId === id));
  });

/** `Customer.addresses`, for the callers that may read them. */
export async function addressesOf(ctx: RequestContext, customer: CustomerRow): Promise<CustomerAddressRow[]> {
  await requireAddressReader(ctx, customer.customerNumber);
  return ctx.loaders.get(addressesByCustomerId).load(customer.id);
}

export interface UpsertAddressesResult {
  customerNumber: string;
  results: AddressOutcome[];
}

/** Creates or updates one or more addresses of a customer, answering what happened to each. */
export async function upsertCustomerAddresses(
  ctx: RequestContext,
  customerNumber: string,
  inputs: readonly CustomerAddressInput[],
): Promise<UpsertAddressesResult> {
  const check = new InputCheck();
  const number = check.text("customerNumber", customerNumber, { max: 100 });
  if (inputs.length === 0) check.fail("addresses", "must hold at least one address");
  const addresses = readAddresses(inputs, check);
  check.done();
  const organizationId = await requireAddressWriter(ctx, number);
  return ctx.db.transaction(async (tx) => {
    // The customer's row lock serialises upserts of its addresses, so one default per type holds.
    const customer = await findCustomer(tx, organizationId, number, true);
    const outcomes = await applyAddressUpserts(tx, organizationId, [{ customerId: customer.id, addresses }]);
    const results = outcomes.get(customer.id) ?? [];
    const changed = results.filter((result) => result.status !== "unchanged");
    if (changed.length > 0) {
      await recordChange(tx, ctx, {
        operation: "upsertCustomerAddresses",
        targetIds: [customer.id, ...changed.map((result) => result.address.id)],
        after: Object.fromEntries(changed.map((result) => [result.addressNumber, result.status])),
      });
    }
    return { customerNumber: customer.customerNumber, results };
  });
}

/** Deletes one address; 404 when the customer or the address does not exist. */
export async function deleteCustomerAddress(ctx: RequestContext, customerNumber: string, addressNumber: string) {
  const check = new InputCheck();
  const number = check.text("customerNumber", customerNumber, { max: 100 });
  const address = check.text("addressNumber", addressNumber, { max: 50 });
  check.done();
  const organizationId = await requireAddressWriter(ctx, number);
  return ctx.db.transaction(async (tx) => {
    const customer = await findCustomer(tx, organizationId, number, true);
    const [deleted] = await tx
      .delete(customerAddresses)
      .where(
        and(
          eq(customerAddresses.organizationId, organizationId),
          eq(customerAddresses.customerId, customer.id),
          eq(customerAddresses.addressNumber, address),
        ),
      )
      .returning();
    if (!deleted) throw new NotFoundError(`Customer ${number} has no address ${address}`);
    await recordChange(tx, ctx, {
      operation: "deleteCustomerAddress",
      targetIds: [customer.id, deleted.id],
      before: { addressNumber: deleted.addressNumber },
    });
    return { customerNumber: customer.customerNumber, deletedAddressNumber: deleted.addressNumber };
  });
}

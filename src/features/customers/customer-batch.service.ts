import type { RequestContext } from "../../context.js";
import { isForeignKeyViolation } from "../../db/errors.js";
import { BadInputError, type FieldErrors } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import { applyAddressUpserts, readAddresses, type AddressOutcome } from "../customer-addresses/address-upsert.js";
import { fanOutWebhooks } from "../webhooks/fan-out.js";
import type { UpsertCustomersItemInput } from "./customer-batch.types.js";
import { applyCustomerUpserts, unknownTier, type UpsertOutcome, type UpsertStatus } from "./customer-upsert.js";
import type { CustomerRow } from "./customers.tables.js";

/** Customers one batch may carry, and addresses across all of them. */
export const maxBatchCustomers = 1000;
export const maxBatchAddresses = 5000;

export interface CustomerBatchResult {
  index: number;
  customerNumber: string;
  status: UpsertStatus;
  errors: { field: string; message: string }[];
  customer: CustomerRow | null;
  addresses: AddressOutcome[];
}

export interface CustomerBatchPayload {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  results: CustomerBatchResult[];
}

/**
 * Upserts up to 1,000 customers with their parents and addresses in one transaction, in a fixed
 * number of statements. Parents may come after their children. Without `partial` one item's problem
 * refuses the batch with every item's problems; with it the valid items apply and the others answer
 * `error`. One audit event for the batch, one webhook event per customer it changed.
 */
export async function upsertCustomers(
  ctx: RequestContext,
  inputs: readonly UpsertCustomersItemInput[],
  partial: boolean,
): Promise<CustomerBatchPayload> {
  const organizationId = await ctx.auth.organizationId();
  if (inputs.length === 0 || inputs.length > maxBatchCustomers) {
    throw BadInputError.field("input", `must hold from 1 to ${maxBatchCustomers} customers`);
  }
  const addressCount = inputs.reduce((sum, input) => sum + (input.addresses?.length ?? 0), 0);
  if (addressCount > maxBatchAddresses) {
    throw BadInputError.field("input", `may hold at most ${maxBatchAddresses} addresses in all`);
  }
  const addresses = inputs.map((input) => {
    const check = new InputCheck();
    return { check, read: readAddresses(input.addresses ?? [], check) };
  });

  try {
    return await ctx.db.transaction(async (tx) => {
      const outcomes = await applyCustomerUpserts(tx, organizationId, inputs, {
        partial,
        itemProblems: addresses.map((address) => address.check.problems),
      });
      if (!partial && outcomes.some((outcome) => outcome.status === "error")) throw refusal(outcomes);
      const applied = outcomes.flatMap((outcome, index) =>
        outcome.after ? [{ customerId: outcome.after.id, addresses: addresses[index]!.read }] : [],
      );
      const addressOutcomes = await applyAddressUpserts(tx, organizationId, applied);
      const results = outcomes.map((outcome, index) => resultOf(outcome, index, addressOutcomes));
      const payload = totals(results);
      const changed = results.filter((result) => result.status === "created" || result.status === "updated");
      await recordChange(tx, ctx, {
        operation: "upsertCustomers",
        targetIds: changed.map((result) => result.customer!.id),
        after: {
          created: payload.created,
          updated: payload.updated,
          unchanged: payload.unchanged,
          failed: payload.failed,
        },
      });
      await fanOutWebhooks(
        tx,
        organizationId,
        changed.map((result) => ({
          type: "customer.upserted",
          data: {
            customerId: result.customer!.id,
            customerNumber: result.customerNumber,
            companyName: result.customer!.companyName,
            created: result.status === "created",
          },
        })),
      );
      return payload;
    });
  } catch (error) {
    // A tier was deleted between the lookup and the write.
    if (isForeignKeyViolation(error)) throw BadInputError.field("input", `pricing ${unknownTier}`);
    throw error;
  }
}

function resultOf(
  outcome: UpsertOutcome,
  index: number,
  addressOutcomes: Map<string, AddressOutcome[]>,
): CustomerBatchResult {
  const addresses = outcome.after ? (addressOutcomes.get(outcome.after.id) ?? []) : [];
  const addressesChanged = addresses.some((address) => address.status !== "unchanged");
  return {
    index,
    customerNumber: outcome.customerNumber,
    status: outcome.status === "unchanged" && addressesChanged ? "updated" : outcome.status,
    errors: Object.entries(outcome.errors ?? {}).map(([field, message]) => ({ field, message })),
    customer: outcome.after ?? null,
    addresses,
  };
}

function totals(results: CustomerBatchResult[]): CustomerBatchPayload {
  const count = (status: UpsertStatus) => results.filter((result) => result.status === status).length;
  return {
    created: count("created"),
    updated: count("updated"),
    unchanged: count("unchanged"),
    failed: count("error"),
    results,
  };
}

/** Every item's problems in one 400, keyed `input[i].field`; nothing was written. */
function refusal(outcomes: UpsertOutcome[]): BadInputError {
  const errors: FieldErrors = {};
  let failed = 0;
  outcomes.forEach((outcome, index) => {
    const problems = Object.entries(outcome.errors ?? {});
    if (problems.length > 0) failed += 1;
    for (const [field, problem] of problems) errors[`input[${index}].${field}`] = problem;
  });
  return new BadInputError(
    `${failed} of ${outcomes.length} customers have errors; nothing was applied (send partial: true to apply the others)`,
    errors,
  );
}

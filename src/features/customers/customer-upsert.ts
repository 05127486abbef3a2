import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { upsertRowsAsJson } from "../../db/json-upsert.js";
import type { FieldErrors } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { priceTiers } from "../price-tiers/price-tiers.tables.js";
import { checkTrees, lockCustomerTrees, treeAround, type TreeNode, type TreeProblem } from "./customer-tree.js";
import { customers, type CustomerRow } from "./customers.tables.js";
import type { UpsertCustomerInput } from "./customers.types.js";

export const unknownTier = "does not name a price tier of your organization";
const unknownParent = "does not name a customer of your organization";

export type UpsertStatus = "created" | "updated" | "unchanged" | "error";

export interface UpsertOutcome {
  customerNumber: string;
  status: UpsertStatus;
  /** Problems keyed by the item's own field names (`parentCustomerNumber`). */
  errors?: FieldErrors;
  before?: CustomerRow;
  /** The customer as it is after the upsert; for `unchanged`, as it was. */
  after?: CustomerRow;
}

type Writable = Omit<CustomerRow, "createdAt" | "updatedAt">;
type Given = Partial<Omit<Writable, "id" | "organizationId" | "customerNumber" | "parentId">>;

interface Item {
  customerNumber: string;
  given: Given;
  pricing: string | null | undefined;
  /** undefined keeps the parent, null detaches, a number attaches. */
  parentNumber: string | null | undefined;
  check: InputCheck;
  id?: string;
  parentId?: string | null;
}

/** Checks one item's fields; the problems stay in `check`, for the caller to report per item. */
function readItem(input: UpsertCustomerInput): Item {
  const check = new InputCheck();
  const customerNumber = check.text("customerNumber", input.customerNumber, { max: 100 });
  const given: Given = {
    companyName: check.text("companyName", input.companyName),
    companyEmail: check.optionalEmail("companyEmail", input.companyEmail),
    companyPhone: check.phone("companyPhone", input.companyPhone),
    companyFax: check.phone("companyFax", input.companyFax),
    repNumber: check.optionalText("repNumber", input.repNumber, { max: 50 }),
    terms: check.optionalText("terms", input.terms, { max: 100 }),
    externalId: check.optionalText("externalId", input.externalId, { max: 100 }),
    customerAttributes: input.customerAttributes,
    active: input.active ?? undefined,
    paymentTermsCode: check.optionalText("paymentTermsCode", input.paymentTermsCode, { max: 50 }),
    netDays: input.netDays,
    creditLimit: money(check, "creditLimit", input.creditLimit, 0),
    creditCurrency:
      input.creditCurrency === undefined || input.creditCurrency === null || input.creditCurrency.trim() === ""
        ? input.creditCurrency === undefined
          ? undefined
          : null
        : check.currency("creditCurrency", input.creditCurrency),
    creditHold: input.creditHold ?? undefined,
    availableCredit: money(check, "availableCredit", input.availableCredit),
  };
  if (given.netDays !== undefined && given.netDays !== null && (given.netDays < 0 || given.netDays > 3650)) {
    check.fail("netDays", "must be from 0 to 3650");
  }
  const parentNumber = check.optionalText("parentCustomerNumber", input.parentCustomerNumber, { max: 100 });
  if (parentNumber && parentNumber === customerNumber) {
    check.fail("parentCustomerNumber", `${parentNumber} would close a loop: a customer cannot be its own parent`);
  }
  return {
    customerNumber,
    given,
    pricing: check.optionalText("pricing", input.pricing, { max: 100 }),
    parentNumber,
    check,
  };
}

const largestAmount = 1e15;

function money(check: InputCheck, field: string, value: number | null | undefined, min?: number) {
  if (value === undefined || value === null) return value;
  if (!Number.isFinite(value) || Math.abs(value) >= largestAmount || (min !== undefined && value < min)) {
    check.fail(field, min === undefined ? "must be a finite amount" : `must be an amount of ${min} or more`);
    return undefined;
  }
  return Math.round(value * 100) / 100;
}

export interface ApplyOptions {
  /** Apply the valid items and report the others; false refuses the whole set on any problem. */
  partial: boolean;
  /** Problems the caller found in each item's own parts (its addresses), by item index. */
  itemProblems?: readonly FieldErrors[];
}

/**
 * Creates or updates customers in the caller's transaction, set-based: a fixed number of statements
 * whatever the number of items. Parents may name customers that come later in the same set. On
 * update only the given fields change (null clears one); a new customer is active unless told.
 */
export async function applyCustomerUpserts(
  tx: Executor,
  organizationId: string,
  inputs: readonly UpsertCustomerInput[],
  options: ApplyOptions,
): Promise<UpsertOutcome[]> {
  const items = inputs.map(readItem);
  options.itemProblems?.forEach((problems, index) => {
    for (const [field, problem] of Object.entries(problems)) items[index]!.check.fail(field, problem);
  });
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.customerNumber)) item.check.fail("customerNumber", "appears more than once in the batch");
    if (item.customerNumber) seen.add(item.customerNumber);
  }
  const tierNames = [...new Set(items.map((item) => item.pricing).filter((name): name is string => Boolean(name)))];
  const tiers = tierNames.length
    ? await tx
        .select({ id: priceTiers.id, name: sql<string>`lower(${priceTiers.name})` })
        .from(priceTiers)
        .where(
          and(
            eq(priceTiers.organizationId, organizationId),
            inArray(
              sql`lower(${priceTiers.name})`,
              tierNames.map((name) => name.toLowerCase()),
            ),
          ),
        )
    : [];
  const tierByName = new Map(tiers.map((tier) => [tier.name, tier.id]));
  for (const item of items) {
    if (item.pricing === undefined) continue;
    item.given.priceTierId = null;
    if (item.pricing) {
      const tierId = tierByName.get(item.pricing.toLowerCase());
      if (tierId) item.given.priceTierId = tierId;
      else item.check.fail("pricing", unknownTier);
    }
  }

  const attaching = items.some((item) => item.parentNumber);
  if (attaching) await lockCustomerTrees(tx, organizationId);
  const numbers = [...new Set(items.flatMap((item) => [item.customerNumber, item.parentNumber ?? ""]).filter(Boolean))];
  const existing = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.organizationId, organizationId), inArray(customers.customerNumber, numbers)))
    .for("update");
  const byNumber = new Map(existing.map((row) => [row.customerNumber, row]));

  const valid = (item: Item) => Object.keys(item.check.problems).length === 0;
  for (const item of items) item.id = byNumber.get(item.customerNumber)?.id ?? newId();
  resolveParents(items, byNumber, valid);

  if (attaching) await checkHierarchy(tx, organizationId, items, byNumber, valid, options.partial);

  if (!options.partial && !items.every(valid)) {
    return items.map((item) => ({ customerNumber: item.customerNumber, status: "error", errors: item.check.problems }));
  }

  const outcomes: UpsertOutcome[] = [];
  const writes: Writable[] = [];
  for (const item of items) {
    if (!valid(item)) {
      outcomes.push({ customerNumber: item.customerNumber, status: "error", errors: { ...item.check.problems } });
      continue;
    }
    const before = byNumber.get(item.customerNumber);
    const given = Object.fromEntries(Object.entries(item.given).filter(([, value]) => value !== undefined));
    const row: Writable = {
      companyName: item.given.companyName!,
      ...(before ?? emptyCustomer),
      ...given,
      id: item.id!,
      organizationId,
      customerNumber: item.customerNumber,
      parentId: item.parentId!,
    };
    const status = !before ? "created" : sameCustomer(before, row) ? "unchanged" : "updated";
    if (status !== "unchanged") writes.push(row);
    outcomes.push({ customerNumber: item.customerNumber, status, before, after: before });
  }
  const written = new Map((await writeCustomers(tx, writes, byNumber)).map((row) => [row.customerNumber, row]));
  for (const outcome of outcomes) {
    const row = written.get(outcome.customerNumber);
    if (row) outcome.after = row;
  }
  return outcomes;
}

/** What a created customer holds before its given fields apply. */
const emptyCustomer: Omit<Writable, "id" | "organizationId" | "customerNumber" | "companyName"> = {
  companyEmail: null,
  companyPhone: null,
  companyFax: null,
  priceTierId: null,
  active: true,
  repNumber: null,
  terms: null,
  externalId: null,
  customerAttributes: null,
  parentId: null,
  paymentTermsCode: null,
  netDays: null,
  creditLimit: null,
  creditCurrency: null,
  creditHold: false,
  availableCredit: null,
};

function resolveParents(items: Item[], byNumber: Map<string, CustomerRow>, valid: (item: Item) => boolean): void {
  const inBatch = new Map(items.map((item) => [item.customerNumber, item]));
  const batchIds = new Map(items.filter(valid).map((item) => [item.customerNumber, item.id!]));
  for (const item of items) {
    const before = byNumber.get(item.customerNumber);
    if (item.parentNumber === undefined) item.parentId = before?.parentId ?? null;
    else if (item.parentNumber === null) item.parentId = null;
    else {
      const parentId = batchIds.get(item.parentNumber) ?? byNumber.get(item.parentNumber)?.id;
      if (parentId) item.parentId = parentId;
      else if (inBatch.has(item.parentNumber)) {
        item.check.fail("parentCustomerNumber", `names ${item.parentNumber}, which has errors in this batch`);
      } else item.check.fail("parentCustomerNumber", unknownParent);
    }
    const creditCurrency = item.given.creditCurrency === undefined ? before?.creditCurrency : item.given.creditCurrency;
    const creditLimit = item.given.creditLimit === undefined ? before?.creditLimit : item.given.creditLimit;
    const available = item.given.availableCredit === undefined ? before?.availableCredit : item.given.availableCredit;
    if ((creditLimit != null || available != null) && !creditCurrency) {
      item.check.fail("creditCurrency", "is required with creditLimit or availableCredit");
    }
  }
}

/**
 * Refuses loops and trees deeper than the limit, from the trees as they are (read under the tree
 * lock) with every item's parent applied. With `partial`, items in trouble drop out, and so do
 * items whose new parent dropped out, until the rest form good trees.
 */
async function checkHierarchy(
  tx: Executor,
  organizationId: string,
  items: Item[],
  byNumber: Map<string, CustomerRow>,
  valid: (item: Item) => boolean,
  partial: boolean,
): Promise<void> {
  const reshaping = items.filter((item) => item.parentNumber !== undefined);
  const seeds = reshaping.flatMap((item) => [item.customerNumber, item.parentNumber ?? ""]).filter(Boolean);
  const nodes = new Map<string, TreeNode>();
  for (const node of await treeAround(tx, organizationId, seeds)) nodes.set(node.id, node);
  for (const item of items) {
    if (!nodes.has(item.id!)) {
      const before = byNumber.get(item.customerNumber);
      nodes.set(item.id!, { id: item.id!, customerNumber: item.customerNumber, parentId: before?.parentId ?? null });
    }
  }
  const byId = new Map(items.map((item) => [item.id!, item]));
  for (;;) {
    const moved = new Map<string, string | null>();
    for (const item of reshaping) if (valid(item)) moved.set(item.id!, item.parentId ?? null);
    let failed = false;
    for (const [id, problem] of checkTrees(nodes, moved)) {
      const item = byId.get(id)!;
      item.check.fail("parentCustomerNumber", describe(item, problem));
      failed = true;
    }
    if (!partial) return;
    for (const item of reshaping) {
      const parent = item.parentId ? byId.get(item.parentId) : undefined;
      if (valid(item) && parent && !byNumber.has(parent.customerNumber) && !valid(parent)) {
        item.check.fail("parentCustomerNumber", `names ${parent.customerNumber}, which has errors in this batch`);
        failed = true;
      }
    }
    if (!failed) return;
  }
}

function describe(item: Item, problem: TreeProblem): string {
  if (problem.kind === "loop") {
    return `${item.parentNumber} would close a loop: it is ${item.customerNumber} or one of its descendants`;
  }
  return `${item.parentNumber} would put ${problem.deepest} at level ${problem.level}; trees have at most 5 levels`;
}

/** JSON compared by value, whatever the key order jsonb keeps. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

const compared = Object.keys(emptyCustomer).concat("companyName") as (keyof Writable)[];

function sameCustomer(before: CustomerRow, after: Writable): boolean {
  return compared.every((key) =>
    key === "customerAttributes" ? canonical(before[key]) === canonical(after[key]) : before[key] === after[key],
  );
}

/**
 * Writes every changed customer in one statement and answers the rows as written: existing rows
 * keep their id and creation time. Rows go parents first, though the foreign key of a row whose
 * parent comes later in the same statement is checked at its end anyway.
 */
async function writeCustomers(
  tx: Executor,
  rows: Writable[],
  before: Map<string, CustomerRow>,
): Promise<CustomerRow[]> {
  const stored = await upsertRowsAsJson(
    tx,
    customers,
    parentsFirst(rows),
    [customers.organizationId, customers.customerNumber],
    [customers.customerNumber, customers.customerAttributes],
  );
  // Attributes as jsonb keeps them (its own key order), which is how every read answers them.
  const attributes = new Map(stored.map((row) => [row.customer_number as string, row.customer_attributes]));
  const now = new Date();
  return rows.map((row) => ({
    ...row,
    customerAttributes: (attributes.get(row.customerNumber) ?? null) as CustomerRow["customerAttributes"],
    createdAt: before.get(row.customerNumber)?.createdAt ?? now,
    updatedAt: now,
  }));
}

function parentsFirst(rows: Writable[]): Writable[] {
  const ids = new Map(rows.map((row) => [row.id, row]));
  const levels = new Map<string, number>();
  const level = (row: Writable, guard = 0): number => {
    const known = levels.get(row.id);
    if (known !== undefined) return known;
    const parent = row.parentId ? ids.get(row.parentId) : undefined;
    const value = parent && guard < 10 ? level(parent, guard + 1) + 1 : 0;
    levels.set(row.id, value);
    return value;
  };
  return [...rows].sort((a, b) => level(a) - level(b));
}

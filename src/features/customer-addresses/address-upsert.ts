import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { upsertRowsAsJson } from "../../db/json-upsert.js";
import { type InputCheck } from "../../validation.js";
import { countryCodes } from "./country-codes.js";
import {
  addressTypes,
  customerAddresses,
  type AddressType,
  type CustomerAddressRow,
} from "./customer-addresses.tables.js";
import type { CustomerAddressInput } from "./customer-addresses.types.js";

/** Addresses one upsert may carry for one customer. */
export const maxAddressesPerCustomer = 100;

export type AddressStatus = "created" | "updated" | "unchanged";

export interface AddressOutcome {
  addressNumber: string;
  status: AddressStatus;
  address: CustomerAddressRow;
}

type Writable = Omit<CustomerAddressRow, "createdAt" | "updatedAt">;
type Given = Partial<Omit<Writable, "id" | "organizationId" | "customerId" | "addressNumber">>;

interface ReadAddress {
  addressNumber: string;
  given: Given;
}

/**
 * Checks one customer's addresses; problems are keyed `addresses[i].field`. Two defaults of an
 * overlapping type, or one address number twice, are refused: one default per type per customer.
 */
export function readAddresses(
  inputs: readonly CustomerAddressInput[],
  check: InputCheck,
  prefix = "addresses",
): ReadAddress[] {
  if (inputs.length > maxAddressesPerCustomer) {
    check.fail(prefix, `may hold at most ${maxAddressesPerCustomer} addresses`);
    return [];
  }
  const seen = new Set<string>();
  const defaults: { type: AddressType; index: number }[] = [];
  return inputs.map((input, index) => {
    const field = (name: string) => `${prefix}[${index}].${name}`;
    const addressNumber = check.text(field("addressNumber"), input.addressNumber, { max: 50 });
    if (seen.has(addressNumber)) check.fail(field("addressNumber"), "appears more than once");
    seen.add(addressNumber);
    const type = input.type as AddressType;
    if (!addressTypes.includes(type)) check.fail(field("type"), `must be one of ${addressTypes.join(", ")}`);
    const country = check.text(field("country"), input.country, { max: 2 }).toUpperCase();
    if (country && !countryCodes.has(country))
      check.fail(field("country"), "must be an ISO 3166-1 alpha-2 code such as US");
    if (input.isDefault) {
      const clash = defaults.find((other) => overlaps(other.type, type));
      if (clash) check.fail(field("isDefault"), `${prefix}[${clash.index}] is already the default for that type`);
      defaults.push({ type, index });
    }
    return {
      addressNumber,
      given: {
        type,
        companyName: check.optionalText(field("companyName"), input.companyName),
        contactName: check.optionalText(field("contactName"), input.contactName),
        line1: check.text(field("line1"), input.line1),
        line2: check.optionalText(field("line2"), input.line2),
        line3: check.optionalText(field("line3"), input.line3),
        city: check.text(field("city"), input.city, { max: 100 }),
        region: check.optionalText(field("region"), input.region, { max: 100 }),
        postalCode: check.optionalText(field("postalCode"), input.postalCode, { max: 20 }),
        country,
        phone: check.phone(field("phone"), input.phone),
        isDefault: input.isDefault ?? undefined,
        externalId: check.optionalText(field("externalId"), input.externalId, { max: 100 }),
      },
    };
  });
}

/** A `both` address overlaps every type; `shipping` and `billing` do not overlap each other. */
function overlaps(a: AddressType, b: AddressType): boolean {
  return a === "both" || b === "both" || a === b;
}

export interface CustomerAddresses {
  customerId: string;
  addresses: ReadAddress[];
}

const emptyAddress = {
  companyName: null,
  contactName: null,
  line2: null,
  line3: null,
  region: null,
  postalCode: null,
  phone: null,
  isDefault: false,
  externalId: null,
} satisfies Partial<Writable>;

const compared = [
  "type",
  "companyName",
  "contactName",
  "line1",
  "line2",
  "line3",
  "city",
  "region",
  "postalCode",
  "country",
  "phone",
  "isDefault",
  "externalId",
] as const satisfies readonly (keyof Writable)[];

/**
 * Creates or updates addresses of several customers in the caller's transaction, set-based: one
 * read, the changed rows written in one statement, and one statement that takes the default
 * away from the addresses a new default replaces. The customers must be locked by the caller.
 */
export async function applyAddressUpserts(
  tx: Executor,
  organizationId: string,
  entries: readonly CustomerAddresses[],
): Promise<Map<string, AddressOutcome[]>> {
  const outcomes = new Map<string, AddressOutcome[]>();
  const customerIds = entries.filter((entry) => entry.addresses.length > 0).map((entry) => entry.customerId);
  if (customerIds.length === 0) return outcomes;
  const existing = await tx
    .select()
    .from(customerAddresses)
    .where(
      and(eq(customerAddresses.organizationId, organizationId), inArray(customerAddresses.customerId, customerIds)),
    );
  const byKey = new Map(existing.map((row) => [`${row.customerId}\u0000${row.addressNumber}`, row]));
  const withAddresses = new Set(existing.map((row) => row.customerId));

  const writes: Writable[] = [];
  const newDefaults: { customerId: string; id: string; type: AddressType }[] = [];
  for (const entry of entries) {
    const list: AddressOutcome[] = [];
    for (const address of entry.addresses) {
      const before = byKey.get(`${entry.customerId}\u0000${address.addressNumber}`);
      const given = Object.fromEntries(Object.entries(address.given).filter(([, value]) => value !== undefined));
      const row = {
        ...emptyAddress,
        ...before,
        ...given,
        id: before?.id ?? newId(),
        organizationId,
        customerId: entry.customerId,
        addressNumber: address.addressNumber,
      } as Writable;
      const status: AddressStatus = !before
        ? "created"
        : compared.every((key) => before[key] === row[key])
          ? "unchanged"
          : "updated";
      if (status !== "unchanged") writes.push(row);
      // Only a customer that had addresses can have a default to take away.
      const replacing = withAddresses.has(entry.customerId);
      if (replacing && row.isDefault && (!before?.isDefault || before.type !== row.type)) {
        newDefaults.push({ customerId: entry.customerId, id: row.id, type: row.type });
      }
      const placeholder = { ...row, createdAt: new Date(), updatedAt: new Date() };
      list.push({
        addressNumber: address.addressNumber,
        status,
        address: status === "unchanged" ? before! : placeholder,
      });
    }
    outcomes.set(entry.customerId, list);
  }

  await upsertRowsAsJson(tx, customerAddresses, writes, [
    customerAddresses.organizationId,
    customerAddresses.customerId,
    customerAddresses.addressNumber,
  ]);
  if (newDefaults.length > 0) await replaceDefaults(tx, organizationId, newDefaults);
  return outcomes;
}

/** The addresses a new default replaces stop being defaults, in one statement. */
async function replaceDefaults(
  tx: Executor,
  organizationId: string,
  defaults: { customerId: string; id: string; type: AddressType }[],
): Promise<void> {
  const values = sql.join(
    defaults.map((d) => sql`(${d.customerId}, ${d.id}, ${d.type})`),
    sql`, `,
  );
  await tx.execute(sql`
    update customer_addresses a set is_default = false, updated_at = now()
    from (values ${values}) as d(customer_id, keep_id, type)
    where a.organization_id = ${organizationId} and a.customer_id = d.customer_id and a.id <> d.keep_id and a.is_default
      and (a.type = 'both' or d.type = 'both' or a.type = d.type)
      and a.id not in (select keep_id from (values ${values}) as k(customer_id, keep_id, type))`);
}

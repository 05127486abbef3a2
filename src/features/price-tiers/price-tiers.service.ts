import DataLoader from "dataloader";
import { and, asc, count, eq, inArray, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { isForeignKeyViolation, isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../db/ids.js";
import { recordChange } from "../audit/record-change.js";
import type { RequestContext } from "../../context.js";
import { BadInputError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { customers } from "../customers/customers.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import { priceTiers, type PriceTierRow } from "./price-tiers.tables.js";
import type { DeletePriceTierPayload } from "./price-tiers.types.js";
import { byKey } from "../../db/tenant-key.js";

/** The document's default for PUT when CurrencyCode is omitted. */
export const defaultCurrencyCode = "USD";

const nameRule = { max: 100 };

const sameName = (name: string) => sql`lower(${priceTiers.name}) = lower(${name})`;

/** The organization's tier of that name, in any case. */
export async function findPriceTierByName(
  db: Executor,
  organizationId: string,
  name: string,
): Promise<PriceTierRow | undefined> {
  const [tier] = await db
    .select()
    .from(priceTiers)
    .where(and(eq(priceTiers.organizationId, organizationId), sameName(name)))
    .limit(1);
  return tier;
}

/** Loads tiers by id for one request, so a page of customers costs one tier query. */
export const priceTierById = (ctx: RequestContext) =>
  new DataLoader<string, PriceTierRow | null>(async (ids) => {
    const organizationId = await ctx.auth.organizationId();
    const rows = await ctx.db
      .select()
      .from(priceTiers)
      .where(and(eq(priceTiers.organizationId, organizationId), inArray(priceTiers.id, [...ids])));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

const nameTaken = (field: string) =>
  BadInputError.field(field, "is already the name of a price tier of your organization");

export async function listPriceTiers(ctx: RequestContext): Promise<PriceTierRow[]> {
  const organizationId = await ctx.auth.organizationId();
  return ctx.db
    .select()
    .from(priceTiers)
    .where(eq(priceTiers.organizationId, organizationId))
    .orderBy(asc(sql`lower(${priceTiers.name})`), asc(priceTiers.id));
}

export async function createPriceTier(ctx: RequestContext, name: string, currencyCode: string): Promise<PriceTierRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const tierName = check.text("name", name, nameRule);
  const currency = check.currency("currencyCode", currencyCode);
  check.done();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [tier] = await tx
        .insert(priceTiers)
        .values({ id: newId(), organizationId, name: tierName, currencyCode: currency })
        .returning();
      await recordChange(tx, ctx, {
        operation: "createPriceTier",
        targetIds: [tier!.id],
        after: tier,
        event: {
          type: "price_tier.created",
          data: { priceTierId: tier!.id, name: tier!.name, currencyCode: tier!.currencyCode },
        },
      });
      return tier!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "price_tiers_org_name_lower_key")) throw nameTaken("name");
    throw error;
  }
}

/**
 * Renames a tier and sets its currency. Customers point at the tier by id, so they follow the
 * rename; the organization's default tier is stored by name, so it is renamed with it.
 */
export async function updatePriceTier(
  ctx: RequestContext,
  oldName: string,
  newName: string,
  currencyCode: string | null | undefined,
): Promise<PriceTierRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const from = check.text("oldName", oldName, nameRule);
  const to = check.text("newName", newName, nameRule);
  const currency = check.currency("currencyCode", currencyCode ?? defaultCurrencyCode);
  check.done();
  try {
    return await ctx.db.transaction(async (tx) => {
      const tier = await findPriceTierByName(tx, organizationId, from);
      if (!tier) throw BadInputError.field("oldName", "does not match any price tier of your organization");
      const [clash] = await tx
        .select({ id: priceTiers.id })
        .from(priceTiers)
        .where(and(eq(priceTiers.organizationId, organizationId), sameName(to), ne(priceTiers.id, tier.id)));
      if (clash) throw nameTaken("newName");
      const [updated] = await tx
        .update(priceTiers)
        .set({ name: to, currencyCode: currency, updatedAt: sql`now()` })
        .where(byKey(priceTiers, tier))
        .returning();
      await tx
        .update(organizations)
        .set({ defaultPriceTier: to, updatedAt: sql`now()` })
        .where(
          and(
            eq(organizations.id, organizationId),
            sql`lower(${organizations.defaultPriceTier}) = lower(${tier.name})`,
          ),
        );
      await recordChange(tx, ctx, {
        operation: "updatePriceTier",
        targetIds: [tier.id],
        before: tier,
        after: updated,
        event: {
          type: "price_tier.updated",
          data: { priceTierId: updated!.id, name: updated!.name, currencyCode: updated!.currencyCode },
        },
      });
      return updated!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "price_tiers_org_name_lower_key")) throw nameTaken("newName");
    throw error;
  }
}

/** Deletes an unused tier; when it was the organization's default, the organization has none. */
export async function deletePriceTier(ctx: RequestContext, name: string): Promise<DeletePriceTierPayload> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const tierName = check.text("name", name, nameRule);
  check.done();
  try {
    return await ctx.db.transaction(async (tx) => {
      const tier = await findPriceTierByName(tx, organizationId, tierName);
      if (!tier) throw BadInputError.field("name", "does not match any price tier of your organization");
      const [used] = await tx
        .select({ n: count() })
        .from(customers)
        .where(and(eq(customers.organizationId, organizationId), eq(customers.priceTierId, tier.id)));
      if (used!.n > 0) throw tierInUse(used!.n);
      await tx.delete(priceTiers).where(byKey(priceTiers, tier));
      await tx
        .update(organizations)
        .set({ defaultPriceTier: null, updatedAt: sql`now()` })
        .where(
          and(
            eq(organizations.id, organizationId),
            sql`lower(${organizations.defaultPriceTier}) = lower(${tier.name})`,
          ),
        );
      await recordChange(tx, ctx, {
        operation: "deletePriceTier",
        targetIds: [tier.id],
        before: tier,
        event: {
          type: "price_tier.deleted",
          data: { priceTierId: tier.id, name: tier.name, currencyCode: tier.currencyCode },
        },
      });
      return { deletedPriceTierId: tier.id, name: tier.name };
    });
  } catch (error) {
    // A customer given this tier between the count and the delete: the foreign key refuses it.
    if (isForeignKeyViolation(error)) throw tierInUse();
    throw error;
  }
}

function tierInUse(customerCount?: number): BadInputError {
  const who = customerCount === undefined ? "customers" : `${customerCount} customer${customerCount === 1 ? "" : "s"}`;
  return BadInputError.field("name", `is the price tier of ${who}; give them another tier first`);
}

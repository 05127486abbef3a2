import { Compilation, iso, jsonObject, list, value, type Selection, type Shape } from "../../db/json-select.js";
import type { Entitlement, Organization, Subscription } from "./organizations.types.js";

/**
 * The Organization type as SQL, declared once: each of its fields, OrganizationSubscription's and
 * Entitlement's, with the values the field resolvers would return (timestamps as ISO strings).
 */

const column =
  <S extends Record<string, string>>(alias: keyof S, name: string) =>
  (s: S) =>
    `${s[alias]}.${name}`;

const subscriptionShape: Shape<{ s: string }> = {
  fields: {
    id: value(column("s", "id")),
    planCode: value(column("s", "plan_code")),
    status: value(column("s", "status")),
    quantity: value(column("s", "quantity")),
    currentPeriodEnd: value((s) => iso(`${s.s}.current_period_end`)),
  },
};

const entitlementShape: Shape<{ e: string }> = {
  fields: {
    code: value(column("e", "code")),
    name: value(column("e", "name")),
    limit: value(column("e", `"limit"`)),
  },
};

const organizationShape: Shape<{ o: string }> = {
  fields: {
    id: value(column("o", "id")),
    identityOrganizationId: value(column("o", "identity_organization_id")),
    name: value(column("o", "name")),
    slug: value(column("o", "slug")),
    billingAddress1: value(column("o", "billing_address1")),
    billingAddress2: value(column("o", "billing_address2")),
    billingCity: value(column("o", "billing_city")),
    billingStateProvince: value(column("o", "billing_state_province")),
    billingPostalCode: value(column("o", "billing_postal_code")),
    billingCountry: value(column("o", "billing_country")),
    phoneNumber: value(column("o", "phone_number")),
    email: value(column("o", "email")),
    website: value(column("o", "website")),
    defaultPriceTier: value(column("o", "default_price_tier")),
    // Only the active subscriptions, as the subscriptions field shows them.
    subscriptions: list(subscriptionShape, (o, c) => {
      const s = c.alias("subscription");
      return {
        scope: { s },
        from: `from organization_subscriptions ${s} where ${s}.organization_id = ${o.o}.id and ${s}.status = 'active'`,
        orderBy: `${s}.created_at, ${s}.id`,
      };
    }),
    entitlements: list(entitlementShape, (o, c) => {
      const e = c.alias("entitlement");
      return {
        scope: { e },
        from: `from organization_entitlements ${e} where ${e}.organization_id = ${o.o}.id`,
        orderBy: `${e}.code`,
      };
    }),
  },
};

/** The mapped fields of each type, for the check that the mapping covers the schema. */
export const compiledTypes = {
  Organization: organizationShape,
  OrganizationSubscription: subscriptionShape,
  Entitlement: entitlementShape,
};

/** An organization as the compiled read answers it: the selected fields, its lists built in. */
export type CompiledOrganization = Organization & { subscriptions?: Subscription[]; entitlements?: Entitlement[] };

export interface CompiledStatement {
  text: string;
  params: readonly string[];
}

const compiled = new WeakMap<Selection, CompiledStatement>();

/** One statement for the caller's organization with its selected lists, built once per selection. */
export function compileOrganization(selection: Selection): CompiledStatement {
  let found = compiled.get(selection);
  if (!found) {
    const c = new Compilation();
    const organizationId = c.param("organizationId");
    const item = jsonObject(organizationShape, selection, { o: "o" }, c);
    found = { text: `select ${item}::text from organizations o where o.id = ${organizationId}`, params: c.params };
    compiled.set(selection, found);
  }
  return found;
}

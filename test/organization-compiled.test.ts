import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  organizationEntitlements,
  organizationSubscriptions,
} from "../src/features/organizations/organizations.tables.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";

/**
 * The organization query is answered by one statement compiled from the selection, its lists
 * built in; federation's _entities is not (the lists through their field resolvers). On random
 * subscriptions, entitlements and selections the two must agree.
 */
let kit: TestKit;
let acme: Organization;
/** The random data's seed, named in a failure so the data can be made again. */
const dataSeed = Date.now();

const scalars = [
  "identityOrganizationId",
  "name",
  "slug",
  "billingAddress1",
  "billingAddress2",
  "billingCity",
  "billingStateProvince",
  "billingPostalCode",
  "billingCountry",
  "phoneNumber",
  "email",
  "website",
  "defaultPriceTier",
];
const optional = (arbitrary: fc.Arbitrary<string>) => fc.option(arbitrary, { nil: "" });
const some = (names: string[]) => fc.shuffledSubarray(names, { minLength: 1 }).map((picked) => picked.join(" "));

const selection = fc
  .tuple(
    fc.shuffledSubarray(scalars),
    optional(some(["id", "planCode", "status", "quantity", "currentPeriodEnd"]).map((s) => `subscriptions { ${s} }`)),
    optional(some(["code", "name", "limit"]).map((s) => `entitlements { ${s} }`)),
  )
  .map(([picked, ...lists]) => ["id", ...picked, ...lists].join(" "));

const instant = fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true });
const plan = fc.record({
  subscriptions: fc.array(
    fc.record({
      planCode: fc.constantFrom("basic", "pro"),
      status: fc.constantFrom("active", "cancelled"),
      quantity: fc.integer({ min: 1, max: 50 }),
      currentPeriodEnd: fc.option(instant, { nil: null }),
      createdAt: instant,
    }),
    { maxLength: 6 },
  ),
  entitlements: fc.uniqueArray(
    fc.record({ code: fc.constantFrom("api", "seats", "Exports", "sso"), limit: fc.option(fc.nat(), { nil: null }) }),
    { selector: (entitlement) => entitlement.code, maxLength: 4 },
  ),
});

async function seedLists(org: Organization, seed: number) {
  const [lists] = fc.sample(plan, { numRuns: 1, seed });
  const db = kit.server.database.db;
  const organizationId = org.organizationId;
  for (const subscription of lists!.subscriptions)
    await db.insert(organizationSubscriptions).values({ id: randomUUID(), organizationId, ...subscription });
  for (const entitlement of lists!.entitlements)
    await db
      .insert(organizationEntitlements)
      .values({ id: randomUUID(), organizationId, name: `The ${entitlement.code}`, ...entitlement });
}

beforeAll(async () => {
  kit = await testKit({ env: { FEDERATION: "true" } });
  acme = await kit.organization();
  const updated = await kit.client.patch("/api/organization", {
    token: acme.adminToken,
    body: { BillingCity: "Miami", Website: "https://acme.example.com" },
  });
  expect(updated.status).toBe(200);
  await seedLists(acme, dataSeed);
  // Another organization's lists, which no answer here may hold.
  await seedLists(await kit.organization(), dataSeed + 1);
}, 60_000);
afterAll(() => kit?.close());

describe("the compiled organization read", () => {
  it("answers what the field resolvers answer, for any selection", async () => {
    await fc.assert(
      fc.asyncProperty(selection, async (fields) => {
        const compiled = await kit.client.graphql(`{ organization { ${fields} } }`, {}, acme.adminToken);
        expect(compiled.errors).toBeUndefined();
        const resolved = await kit.client.graphql(
          `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organization { ${fields} } } }`,
          { representations: [{ __typename: "Organization", id: acme.organizationId }] },
          acme.adminToken,
        );
        expect(resolved.errors).toBeUndefined();
        expect(compiled.data.organization, `data seed ${dataSeed}`).toEqual(resolved.data._entities[0]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

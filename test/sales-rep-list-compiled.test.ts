import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { unique, uniqueEmail } from "./support/seed.js";

/**
 * organizationSalesReps is answered by one statement compiled from the selection; every other
 * way to an assignment (here federation's _entities, which loads each relation through its field
 * resolver) is not. On random data and random selections, the two must answer the same.
 */
let kit: TestKit;
let acme: Organization;
let other: Organization;
let reps: number;
/** The random data's seed, named in a failure so the data can be made again. */
const dataSeed = Date.now();

const assignmentScalars = [
  "organizationId",
  "organizationName",
  "identityOrganizationId",
  "salesRepId",
  "userId",
  "repNumber",
  "active",
  "accessType",
  "salesRepRole",
  "firstName",
  "lastName",
  "email",
  "phoneNumber",
  "identityProvider",
  "identityProviderUserId",
  "createdAt",
  "updatedAt",
  "customerIds",
];
const repScalars = [
  "id",
  "userId",
  "status",
  "verifiedEmail",
  "email",
  "firstName",
  "lastName",
  "phoneNumber",
  "identityProvider",
  "identityProviderUserId",
  "createdAt",
  "updatedAt",
];

const optional = (arbitrary: fc.Arbitrary<string>) => fc.option(arbitrary, { nil: "" });
const fields = (names: string[]) => fc.shuffledSubarray(names, { minLength: 1 }).map((picked) => picked.join(" "));

/** A selection of OrganizationSalesRep's fields, `depth` relations deep. */
function assignmentSelection(depth: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.shuffledSubarray(assignmentScalars),
      depth > 0 ? optional(repSelection(depth - 1).map((rep) => `salesRep { ${rep} }`)) : fc.constant(""),
    )
    .map(([scalars, rep]) => ["id", ...scalars, rep].join(" "));
}

function repSelection(depth: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fields(repScalars),
      optional(fields(["name", "type"]).map((picked) => `createdBy { ${picked} }`)),
      optional(fields(["id", "code", "value"]).map((picked) => `metaFields { ${picked} }`)),
      depth > 0
        ? optional(assignmentSelection(depth - 1).map((assignment) => `assignments { ${assignment} }`))
        : fc.constant(""),
    )
    .map((parts) => parts.join(" "));
}

/** Random reps: listed customers, meta fields, a second organization, deactivated, with or without phone. */
const repPlan = fc.array(
  fc.record({
    listed: fc.subarray([0, 1, 2]),
    meta: fc.integer({ min: 0, max: 2 }),
    inOther: fc.boolean(),
    deactivated: fc.boolean(),
    phone: fc.boolean(),
  }),
  { minLength: 2, maxLength: 6 },
);

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { FEDERATION: "true" } });
  [acme, other] = await Promise.all([kit.organization(), kit.organization()]);
  const customers: { customerNumber: string }[] = [];
  for (let i = 0; i < 3; i++) customers.push(await acme.customer());
  const [plan] = fc.sample(repPlan, { numRuns: 1, seed: dataSeed });
  reps = plan!.length;
  for (const [index, rep] of plan!.entries()) {
    const email = uniqueEmail("compiled");
    const created = await kit.client.graphql(
      `mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { assignments { id } } }`,
      {
        input: {
          firstName: `Rep${index}`,
          lastName: "Compiled",
          email,
          phoneNumber: rep.phone ? `555-01${index}` : null,
          salesRepCompanies: [
            {
              company: acme.organizationId,
              customers: rep.listed.map((i) => customers[i]!.customerNumber),
              repNumber: unique("R"),
            },
          ],
          metaFields: Array.from({ length: rep.meta }, (_, i) => ({ code: `code${i}`, value: { n: index, i } })),
        },
      },
      acme.adminToken,
    );
    expect(created.errors).toBeUndefined();
    // One rep signs in, so ACTIVE shows as well as INVITED and INACTIVE.
    if (index === 0) await acme.repToken(email);
    // The first rep always has an assignment the admin may not see.
    if (rep.inOther || index === 0) await other.salesRep({ email });
    if (rep.deactivated) {
      const id = created.data.createSalesRep.assignments[0].id;
      const result = await kit.client.graphql(
        `mutation($id: String!) { deactivateSalesRep(organizationSalesRepId: $id) { id } }`,
        { id },
        acme.adminToken,
      );
      expect(result.errors).toBeUndefined();
    }
  }
}, 120_000);
afterAll(() => kit?.close());

describe("the compiled sales-rep list", () => {
  it("answers what the field resolvers answer, for any selection and sort", async () => {
    await fc.assert(
      fc.asyncProperty(
        assignmentSelection(3),
        fc.constantFrom("REP_NUMBER", "FIRST_NAME", "EMAIL", "ACTIVE", "PHONE_NUMBER"),
        fc.constantFrom("ASC", "DESC"),
        async (selection, sortOn, sortDirection) => {
          const list = await kit.client.graphql(
            `{ organizationSalesReps(pageSize: 10, sortOn: ${sortOn}, sortDirection: ${sortDirection}) {
              totalCount items { ${selection} } } }`,
            {},
            acme.adminToken,
          );
          expect(list.errors).toBeUndefined();
          const { items, totalCount } = list.data.organizationSalesReps;
          expect(totalCount).toBe(reps);
          const entities = await kit.client.graphql(
            `query($representations: [_Any!]!) {
              _entities(representations: $representations) { ... on OrganizationSalesRep { ${selection} } } }`,
            {
              representations: items.map((item: { id: string }) => ({
                __typename: "OrganizationSalesRep",
                id: item.id,
              })),
            },
            acme.adminToken,
          );
          // _entities estimates its lists at their largest: a deep selection may exceed the operation limit there.
          fc.pre(!entities.errors?.some((error) => /would resolve about/.test(error.message)));
          expect(entities.errors).toBeUndefined();
          expect(items, `data seed ${dataSeed}`).toEqual(entities.data._entities);
        },
      ),
      { numRuns: 50 },
    );
  }, 120_000);

  it("pages past the end with the total, and shows another organization's admin none of these reps", async () => {
    const past = await kit.client.graphql(
      `{ organizationSalesReps(pageSize: 1, pageNumber: 50) { totalCount items { id } } }`,
      {},
      acme.adminToken,
    );
    expect(past.data.organizationSalesReps).toEqual({ totalCount: reps, items: [] });
    const theirs = await kit.client.graphql(
      `{ organizationSalesReps(pageSize: 100) { items { organizationId salesRep { assignments { organizationId } } } } }`,
      {},
      other.adminToken,
    );
    expect(theirs.errors).toBeUndefined();
    const seen = theirs.data.organizationSalesReps.items.flatMap(
      (item: { organizationId: string; salesRep: { assignments: { organizationId: string }[] } }) => [
        item.organizationId,
        ...item.salesRep.assignments.map((assignment) => assignment.organizationId),
      ],
    );
    expect(seen.every((id: string) => id === other.organizationId)).toBe(true);
  });
});

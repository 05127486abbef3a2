import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userCustomers } from "../src/features/customer-associations/customer-associations.tables.js";
import { associationListSpec } from "../src/features/customer-associations/association-list.js";
import { customers } from "../src/features/customers/customers.tables.js";
import { organizationUsers } from "../src/features/organizations/organizations.tables.js";
import { users } from "../src/features/users/users.tables.js";
import { filterCondition } from "../src/pagination.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";

/**
 * userCustomerAssociations and GET /api/organizations/users/associations are answered by one
 * statement compiled from the selection. On random associations, selections, filters, sorts and
 * pages they must answer what the list answered before it was compiled: the ORM's page, which
 * `previousPage` keeps. customerAssociation and customerAssociations compile the same shape.
 */
let kit: TestKit;
let acme: Organization;
let acmeUsers: string[];
let otherUsers: string[];
/** The random data's seed, named in a failure so the data can be made again. */
const dataSeed = Date.now();

const fields = ["userId", "customerNumber", "organizationId", "roles", "scope"];
const sorts = { USER_ID: userCustomers.userId, CUSTOMER_NUMBER: customers.customerNumber };

/** Random associations: users whose ids tie on prefixes, customers shared or not, any roles and scope. */
const associationPlan = fc.array(
  fc.record({
    userPrefix: fc.constantFrom("u-a", "U-a", "u-b"),
    customer: fc.nat(3),
    roleKeys: fc.subarray(["buyer", "approver", "viewer"]),
    scope: fc.constantFrom("self" as const, "self_and_descendants" as const),
  }),
  { minLength: 3, maxLength: 12 },
);

/** Seeds the plan's associations, answering their users' ids. */
async function seedAssociations(org: Organization, seed: number): Promise<string[]> {
  const [plan] = fc.sample(associationPlan, { numRuns: 1, seed });
  const db = kit.server.database.db;
  const customerIds: string[] = [];
  const userIds: string[] = [];
  for (const customerNumber of ["A-1", "a-2", "B-1", "b-10"])
    customerIds.push((await org.customer({ customerNumber })).id);
  for (const [index, association] of plan!.entries()) {
    const userId = `${association.userPrefix}-${index}-${randomUUID().slice(0, 6)}`;
    await db.insert(users).values({ id: userId, email: `${userId}@example.com`, firstName: "Buyer" });
    await db
      .insert(organizationUsers)
      .values({ id: randomUUID(), organizationId: org.organizationId, userId, roleKeys: [] });
    await db.insert(userCustomers).values({
      id: randomUUID(),
      organizationId: org.organizationId,
      userId,
      customerId: customerIds[association.customer]!,
      roleKeys: association.roleKeys,
      scope: association.scope,
    });
    userIds.push(userId);
  }
  return userIds;
}

beforeAll(async () => {
  kit = await testKit();
  acme = await kit.organization();
  acmeUsers = await seedAssociations(acme, dataSeed);
  // Another organization's associations, to customers of the same numbers, which no answer here may hold.
  otherUsers = await seedAssociations(await kit.organization(), dataSeed + 1);
}, 120_000);
afterAll(() => kit?.close());

interface Filter {
  field: string;
  operator: string;
  value: string;
}

/** The list as it was answered before it was compiled, in GraphQL's spelling of the scope. */
async function previousPage(
  sortOn: keyof typeof sorts,
  direction: "ASC" | "DESC",
  size: number,
  number: number,
  filters: Filter[],
) {
  const db = kit.server.database.db;
  const order = direction === "ASC" ? asc : desc;
  const where = and(
    eq(userCustomers.organizationId, acme.organizationId),
    filterCondition(filters, associationListSpec),
  );
  const [counted] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(userCustomers)
    .innerJoin(customers, eq(customers.id, userCustomers.customerId))
    .where(where);
  const rows = await db
    .select({
      userId: userCustomers.userId,
      customerNumber: customers.customerNumber,
      organizationId: userCustomers.organizationId,
      roles: userCustomers.roleKeys,
      scope: userCustomers.scope,
    })
    .from(userCustomers)
    .innerJoin(customers, eq(customers.id, userCustomers.customerId))
    .where(where)
    .orderBy(order(sorts[sortOn]), order(userCustomers.id))
    .limit(size)
    .offset((number - 1) * size);
  const total = counted!.total;
  const items = rows.map((row) => ({ ...row, scope: row.scope.toUpperCase() }));
  return { totalCount: total, pageNumber: number, pageSize: size, totalPages: Math.ceil(total / size), items };
}

const pick = (item: Record<string, unknown>, names: string[]) =>
  Object.fromEntries(names.map((name) => [name, item[name]]));

const filter = fc.record({
  field: fc.constantFrom("userId", "CustomerNumber"),
  operator: fc.constantFrom("STARTS_WITH", "CONTAINS", "NOT_CONTAINS", "EQUALS", "GT", "LTE"),
  value: fc.constantFrom("u-a", "U", "a-", "A-1", "b", "%", "_"),
});

describe("the compiled associations list", () => {
  it("answers what the list answered before, for any selection, filters, sort and page, over GraphQL and REST", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(fields, { minLength: 1 }),
        fc.array(filter, { maxLength: 2 }),
        fc.constantFrom(...(Object.keys(sorts) as (keyof typeof sorts)[])),
        fc.constantFrom("ASC" as const, "DESC" as const),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (selection, filters, sortOn, direction, size, number) => {
          const result = await kit.client.graphql(
            `query($filters: [ListFilter!]) {
              userCustomerAssociations(pageSize: ${size}, pageNumber: ${number}, sortOn: ${sortOn}, sortDirection: ${direction}, filters: $filters) {
                totalCount pageNumber pageSize totalPages items { ${selection.join(" ")} } } }`,
            { filters },
            acme.adminToken,
          );
          expect(result.errors).toBeUndefined();
          const lowered = filters.map((one) => ({ ...one, operator: one.operator.replace("_", "").toLowerCase() }));
          const previous = await previousPage(sortOn, direction, size, number, lowered);
          const expected = { ...previous, items: previous.items.map((item) => pick(item, selection)) };
          expect(result.data.userCustomerAssociations, `data seed ${dataSeed}`).toEqual(expected);

          const query: Record<string, string | number> = {
            PageSize: size,
            PageNumber: number,
            SortOn: sortOn === "USER_ID" ? "UserId" : "CustomerNumber",
            SortDirection: direction,
          };
          lowered.forEach((one, index) => {
            query[`Filters[${index}].Field`] = one.field;
            query[`Filters[${index}].Operator`] = one.operator;
            query[`Filters[${index}].Value`] = one.value;
          });
          const rest = await kit.client.get("/api/organizations/users/associations", { token: acme.adminToken, query });
          expect(rest.status).toBe(200);
          expect(rest.body, `data seed ${dataSeed}`).toEqual({
            Data: previous.items.map((item) => ({
              UserId: item.userId,
              CustomerNumber: item.customerNumber,
              OrganizationId: item.organizationId,
            })),
            TotalCount: previous.totalCount,
            PageNumber: number,
            PageSize: size,
          });
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it("answers one user's association as the list does, and none of another organization's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...acmeUsers, ...otherUsers),
        fc.shuffledSubarray(fields, { minLength: 1 }),
        async (userId, selection) => {
          const picked = selection.join(" ");
          const result = await kit.client.graphql(
            `query($userId: String!, $filters: [ListFilter!]) {
              userCustomerAssociations(filters: $filters) { items { ${picked} } }
              customerAssociations(userId: $userId) { ${picked} } }`,
            { userId, filters: [{ field: "userId", operator: "EQUALS", value: userId }] },
            acme.adminToken,
          );
          expect(result.errors).toBeUndefined();
          const listed = result.data.userCustomerAssociations.items;
          expect(listed).toHaveLength(acmeUsers.includes(userId) ? 1 : 0);
          expect(result.data.customerAssociations).toEqual(listed);
          const one = await kit.client.graphql(
            `query($userId: String!) { customerAssociation(userId: $userId) { ${picked} } }`,
            { userId },
            acme.adminToken,
          );
          if (listed.length) expect(one.data.customerAssociation).toEqual(listed[0]);
          else expect(one.codes).toEqual(["NOT_FOUND"]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("answers 400 naming a bad filter or sort, as before", async () => {
    const badField = await kit.client.get("/api/organizations/users/associations", {
      token: acme.adminToken,
      query: { "Filters[0].Field": "scope", "Filters[0].Operator": "equals", "Filters[0].Value": "self" },
    });
    expect(badField.status).toBe(400);
    expect(Object.keys(badField.body.errors)).toEqual(["Filters[0].Field"]);
    const badSort = await kit.client.get("/api/organizations/users/associations", {
      token: acme.adminToken,
      query: { SortOn: "Roles" },
    });
    expect(badSort.status).toBe(400);
    expect(Object.keys(badSort.body.errors)).toEqual(["SortOn"]);
  });
});

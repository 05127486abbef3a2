import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userCustomers } from "../src/features/customer-associations/customer-associations.tables.js";
import { organizationUsers } from "../src/features/organizations/organizations.tables.js";
import { users } from "../src/features/users/users.tables.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";

/**
 * organizationUsers and GET /api/organizations/users are answered by one statement compiled from
 * the selection. On random members, selections, sorts and pages they must answer what the list
 * answered before it was compiled: the ORM's page of membership rows with the roles made in
 * JavaScript, which `previousPage` keeps.
 */
let kit: TestKit;
let acme: Organization;
/** The random data's seed, named in a failure so the data can be made again. */
const dataSeed = Date.now();

const fields = ["email", "firstName", "lastName", "roles", "pending", "customRoles"];
const sorts = { EMAIL: users.email, FIRST_NAME: users.firstName, LAST_NAME: users.lastName };

/** Random members: names that tie and differ only in case, any role, pending or not, custom roles or none. */
const memberPlan = fc.array(
  fc.record({
    emailPrefix: fc.constantFrom("ann", "Ann", "bob", "zoe", "a.b"),
    firstName: fc.constantFrom("Ann", "ann", "Bob", "Émile", "Zoe"),
    lastName: fc.constantFrom("", "Smith", "smith", "Young"),
    isAdmin: fc.boolean(),
    pending: fc.boolean(),
    customer: fc.boolean(),
    roleKeys: fc.subarray(["east", "west", "buyers"]),
  }),
  { minLength: 3, maxLength: 14 },
);

/** Adds the plan's members to an organization, straight into the tables; answers their user ids. */
async function seedMembers(org: Organization, customerId: string, seed: number): Promise<string[]> {
  const [plan] = fc.sample(memberPlan, { numRuns: 1, seed });
  const db = kit.server.database.db;
  const ids: string[] = [];
  for (const [index, member] of plan!.entries()) {
    const userId = randomUUID();
    await db.insert(users).values({
      id: userId,
      email: `${member.emailPrefix}-${index}-${randomUUID().slice(0, 6)}@example.com`,
      firstName: member.firstName,
      lastName: member.lastName,
    });
    await db.insert(organizationUsers).values({
      id: randomUUID(),
      organizationId: org.organizationId,
      userId,
      isAdmin: member.isAdmin,
      pendingSince: member.pending ? new Date() : null,
      roleKeys: member.roleKeys,
    });
    if (member.customer)
      await db
        .insert(userCustomers)
        .values({ id: randomUUID(), organizationId: org.organizationId, userId, customerId });
    ids.push(userId);
  }
  return ids;
}

beforeAll(async () => {
  kit = await testKit();
  acme = await kit.organization();
  const ids = await seedMembers(acme, (await acme.customer()).id, dataSeed);
  // Another organization's members, which no answer here may hold, and its roles for some of acme's.
  const other = await kit.organization();
  const otherCustomerId = (await other.customer()).id;
  await seedMembers(other, otherCustomerId, dataSeed + 1);
  for (const userId of ids.filter((_, index) => index % 2 === 0)) {
    const organizationId = other.organizationId;
    await kit.server.database.db
      .insert(organizationUsers)
      .values({ id: randomUUID(), organizationId, userId, isAdmin: true, roleKeys: ["elsewhere"] });
    await kit.server.database.db
      .insert(userCustomers)
      .values({ id: randomUUID(), organizationId, userId, customerId: otherCustomerId });
  }
}, 120_000);
afterAll(() => kit?.close());

/** The list as it was answered before it was compiled, in GraphQL's spelling of the roles. */
async function previousPage(sortOn: keyof typeof sorts, direction: "ASC" | "DESC", size: number, number: number) {
  const db = kit.server.database.db;
  const order = direction === "ASC" ? asc : desc;
  const [counted] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(organizationUsers)
    .where(eq(organizationUsers.organizationId, acme.organizationId));
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      isAdmin: organizationUsers.isAdmin,
      pending: sql<boolean>`${organizationUsers.pendingSince} is not null`,
      customRoles: organizationUsers.roleKeys,
      isCustomer: sql<boolean>`exists(${db
        .select({ one: sql`1` })
        .from(userCustomers)
        .where(and(eq(userCustomers.organizationId, acme.organizationId), eq(userCustomers.userId, users.id)))})`,
    })
    .from(organizationUsers)
    .innerJoin(users, eq(users.id, organizationUsers.userId))
    .where(eq(organizationUsers.organizationId, acme.organizationId))
    .orderBy(order(sorts[sortOn]), order(users.id))
    .limit(size)
    .offset((number - 1) * size);
  const total = counted!.total;
  const items = rows.map(({ isAdmin, isCustomer, ...member }) => ({
    ...member,
    roles: [...(isAdmin ? ["ADMIN"] : []), ...(isCustomer ? ["CUSTOMER"] : [])],
  }));
  return { totalCount: total, pageNumber: number, pageSize: size, totalPages: Math.ceil(total / size), items };
}

const pick = (item: Record<string, unknown>, names: string[]) =>
  Object.fromEntries(names.map((name) => [name, item[name]]));

describe("the compiled members list", () => {
  it("answers what the list answered before, for any selection, sort and page, over GraphQL and REST", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(fields),
        fc.constantFrom(...(Object.keys(sorts) as (keyof typeof sorts)[])),
        fc.constantFrom("ASC" as const, "DESC" as const),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (picked, sortOn, direction, size, number) => {
          const selection = ["id", ...picked];
          const result = await kit.client.graphql(
            `{ organizationUsers(pageSize: ${size}, pageNumber: ${number}, sortOn: ${sortOn}, sortDirection: ${direction}) {
              totalCount pageNumber pageSize totalPages items { ${selection.join(" ")} } } }`,
            {},
            acme.adminToken,
          );
          expect(result.errors).toBeUndefined();
          const previous = await previousPage(sortOn, direction, size, number);
          const expected = { ...previous, items: previous.items.map((item) => pick(item, selection)) };
          expect(result.data.organizationUsers, `data seed ${dataSeed}`).toEqual(expected);

          const rest = await kit.client.get("/api/organizations/users", {
            token: acme.adminToken,
            query: { PageSize: size, PageNumber: number, SortOn: sortOn.replace("_", ""), SortDirection: direction },
          });
          expect(rest.status).toBe(200);
          expect(rest.body, `data seed ${dataSeed}`).toEqual({
            Data: previous.items.map((item) => ({
              Id: item.id,
              FirstName: item.firstName,
              LastName: item.lastName,
              Email: item.email,
              Roles: item.roles.map((role) => role.toLowerCase()),
              Pending: item.pending,
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
});

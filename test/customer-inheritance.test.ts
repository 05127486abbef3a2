import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import type { Member } from "./support/customer-seed.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { accessToken, claims, signIn, unique, uniqueEmail } from "./support/seed.js";

/**
 * Inheritance down the customer tree is explicit: a head office's customer admin manages a
 * branch's people and acts for the branch only with the scope self_and_descendants; a rep reaches a
 * listed parent's descendants only when its assignment includes them, or through a role's
 * descendantsOf clause; nothing of another organization is ever reachable, whatever its numbers.
 */

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;
/** acme's tree: head office → division → branch, and an unrelated root. */
let tree: { headOffice: string; division: string; branch: string; sibling: string };
let headOfficeTier: string;
let hoAdmin: Member;
let branchUser: Member;

const put = (org: Organization, body: Record<string, unknown>) =>
  client.put("/api/customers", { token: org.adminToken, body: { companyName: unique("Company"), ...body } });

function setCustomerRoles(org: Organization, userId: string, customerNumber: string, body: Record<string, unknown>) {
  return client.put("/api/organizations/users/customer-roles", {
    token: org.adminToken,
    body: { UserId: userId, CustomerNumber: customerNumber, Roles: ["customer-admin"], ...body },
  });
}

async function setHeadOfficeScope(scope: "self" | "self_and_descendants") {
  const result = await setCustomerRoles(acme, hoAdmin.userId, tree.headOffice, { Scope: scope });
  expect(result.status, result.text).toBe(200);
  expect(result.body).toMatchObject({ CustomerNumber: tree.headOffice, Roles: ["customer-admin"], Scope: scope });
}

/** An access token of `email` in acme, acting for `customerNumber` when given; the raw answer. */
async function access(email: string, customerNumber?: string) {
  return client.post("/api/auth/access", {
    token: await signIn(client, email),
    body: {
      IdentityOrganizationId: acme.identityOrganizationId,
      ...(customerNumber ? { CustomerNumber: customerNumber } : {}),
    },
  });
}

beforeAll(async () => {
  kit = await testKit({ mail: true });
  client = kit.client;
  [acme, other] = await Promise.all([kit.organization(), kit.organization()]);
  headOfficeTier = unique("Tier");
  const tier = await client.post("/api/organizations/price-tiers", {
    token: acme.adminToken,
    body: { Name: headOfficeTier, CurrencyCode: "EUR" },
  });
  expect(tier.status, tier.text).toBe(200);
  tree = { headOffice: unique("HO"), division: unique("DIV"), branch: unique("BR"), sibling: unique("SIB") };
  for (const [customerNumber, parent, pricing] of [
    [tree.headOffice, null, headOfficeTier],
    [tree.division, tree.headOffice, undefined],
    [tree.branch, tree.division, undefined],
    [tree.sibling, null, undefined],
  ] as const) {
    const result = await put(acme, { customerNumber, parentCustomerNumber: parent, ...(pricing ? { pricing } : {}) });
    expect(result.status, result.text).toBe(200);
  }
  [hoAdmin, branchUser] = await Promise.all([acme.member(), acme.member()]);
  await acme.associate(hoAdmin.userId, tree.headOffice);
  await acme.associate(branchUser.userId, tree.branch);
  // The branch keeps a user manager of its own throughout.
  expect((await setCustomerRoles(acme, branchUser.userId, tree.branch, {})).status).toBe(200);
});
afterAll(() => kit?.close());

describe("a head office's customer admin", () => {
  it("with scope self is refused (403) for a branch's people and for acting for the branch", async () => {
    await setHeadOfficeScope("self");
    const token = await acme.tokenFor(hoAdmin.email);
    const list = await client.get("/api/customer/users", { token, query: { CustomerNumber: tree.branch } });
    expect(list.status, list.text).toBe(403);
    const roles = await client.put("/api/customer/users/roles", {
      token,
      body: { UserId: branchUser.userId, Roles: ["buyer"], CustomerNumber: tree.branch },
    });
    expect(roles.status).toBe(403);
    const gql = await client.graphql(
      `query ($n: String) { myCustomerUsers(customerNumber: $n) { userId } }`,
      { n: tree.division },
      token,
    );
    expect(gql.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await access(hoAdmin.email, tree.branch)).status).toBe(403);
    // Its own customer stays its own.
    const own = await client.get("/api/customer/users", { token });
    expect(own.status, own.text).toBe(200);
    expect(own.body.map((user: { UserId: string }) => user.UserId)).toEqual([hoAdmin.userId]);
    expect(own.body[0]).toMatchObject({ CustomerNumber: tree.headOffice, Scope: "self" });
  });

  it("with self_and_descendants manages a branch's user over REST and GraphQL", async () => {
    await setHeadOfficeScope("self_and_descendants");
    const token = await acme.tokenFor(hoAdmin.email);
    const list = await client.get("/api/customer/users", { token, query: { CustomerNumber: tree.branch } });
    expect(list.status, list.text).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ UserId: branchUser.userId, CustomerNumber: tree.branch })]);

    const invited = await client.graphql(
      `mutation ($input: InviteCustomerUserInput!) { inviteCustomerUser(input: $input) { userId customerNumber roles scope } }`,
      { input: { email: uniqueEmail("branch"), firstName: "Bea", roles: ["buyer"], customerNumber: tree.branch } },
      token,
    );
    expect(invited.errors).toBeUndefined();
    expect(invited.data.inviteCustomerUser).toMatchObject({
      customerNumber: tree.branch,
      roles: ["buyer"],
      scope: "SELF",
    });
    const newcomer = invited.data.inviteCustomerUser.userId as string;

    const promoted = await client.put("/api/customer/users/roles", {
      token,
      body: { UserId: newcomer, Roles: ["customer-admin"], CustomerNumber: tree.branch },
    });
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.body).toMatchObject({ UserId: newcomer, CustomerNumber: tree.branch, Roles: ["customer-admin"] });

    const removed = await client.graphql(
      `mutation ($u: String!, $n: String) { removeMyCustomerUser(userId: $u, customerNumber: $n) { userId customerNumber } }`,
      { u: newcomer, n: tree.branch },
      token,
    );
    expect(removed.errors).toBeUndefined();
    expect(removed.data.removeMyCustomerUser).toEqual({ userId: newcomer, customerNumber: tree.branch });

    // A root that is not below its customer stays out of reach.
    const sibling = await client.get("/api/customer/users", { token, query: { CustomerNumber: tree.sibling } });
    expect(sibling.status).toBe(403);
  });

  it("gives an inheriting scope only when it has one itself", async () => {
    await setHeadOfficeScope("self_and_descendants");
    const branchToken = await acme.tokenFor(branchUser.email);
    const escalate = await client.graphql(
      `mutation ($u: String!) { setMyCustomerUserRoles(userId: $u, roles: ["customer-admin"], scope: SELF_AND_DESCENDANTS) { scope } }`,
      { u: branchUser.userId },
      branchToken,
    );
    expect(escalate.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const hoToken = await acme.tokenFor(hoAdmin.email);
    const given = await client.put("/api/customer/users/roles", {
      token: hoToken,
      body: {
        UserId: branchUser.userId,
        Roles: ["customer-admin"],
        CustomerNumber: tree.branch,
        Scope: "self_and_descendants",
      },
    });
    expect(given.status, given.text).toBe(200);
    expect(given.body.Scope).toBe("self_and_descendants");
    // The seller's role change without a scope keeps it.
    const kept = await setCustomerRoles(acme, branchUser.userId, tree.branch, {});
    expect(kept.body.Scope).toBe("self_and_descendants");
    const back = await setCustomerRoles(acme, branchUser.userId, tree.branch, { Scope: "self" });
    expect(back.body.Scope).toBe("self");
  });

  it("acts for a branch: the token names the branch and carries its inherited tier", async () => {
    await setHeadOfficeScope("self_and_descendants");
    const answer = await access(hoAdmin.email, tree.branch);
    expect(answer.status, answer.text).toBe(200);
    const token = answer.body.AccessToken as string;
    expect(claims(token)).toMatchObject({
      Roles: ["Customer"],
      CustomerNumber: tree.branch,
      PriceTier: headOfficeTier,
      CurrencyCode: "EUR",
      CreditHold: false,
    });

    const gql = await client.graphql(
      `mutation ($o: String!, $n: String) { access(identityOrganizationId: $o, customerNumber: $n) { accessToken } }`,
      { o: acme.identityOrganizationId, n: tree.division },
      await signIn(client, hoAdmin.email),
    );
    expect(gql.errors).toBeUndefined();
    expect(claims(gql.data.access.accessToken)).toMatchObject({
      CustomerNumber: tree.division,
      PriceTier: headOfficeTier,
    });

    // The branch token defaults to the branch: its people, its addresses, its record.
    const people = await client.get("/api/customer/users", { token });
    expect(people.status, people.text).toBe(200);
    expect(people.body.map((user: { CustomerNumber: string }) => user.CustomerNumber)).toEqual([tree.branch]);
    const address = await client.put(`/api/customers/${tree.branch}/addresses`, {
      token,
      body: {
        addresses: [{ addressNumber: "SHIP-1", type: "shipping", line1: "1 Main St", city: "Leeds", country: "GB" }],
      },
    });
    expect(address.status, address.text).toBe(200);
    const addresses = await client.get(`/api/customers/${tree.branch}/addresses`, { token });
    expect(addresses.status, addresses.text).toBe(200);
    expect(addresses.body.map((a: { addressNumber: string }) => a.addressNumber)).toEqual(["SHIP-1"]);
    const mine = await client.graphql(`{ myCustomer { customerNumber creditHold } }`, {}, token);
    expect(mine.data?.myCustomer).toEqual({ customerNumber: tree.branch, creditHold: false });
    // The branch's own credit hold, as the ERP sets it, applies to the branch token's next request.
    expect((await put(acme, { customerNumber: tree.branch, creditHold: true })).status).toBe(200);
    const held = await client.graphql(`{ myCustomer { creditHold } }`, {}, token);
    expect(held.data?.myCustomer).toEqual({ creditHold: true });
    expect((await put(acme, { customerNumber: tree.branch, creditHold: false })).status).toBe(200);

    // Taken back: the branch token stops on its next request.
    await setHeadOfficeScope("self");
    expect((await client.get("/api/customer/users", { token })).status).toBe(403);
    expect((await client.get(`/api/customers/${tree.branch}/addresses`, { token })).status).toBe(403);
    await setHeadOfficeScope("self_and_descendants");
  });

  it("reads a branch's addresses with its head-office token only with the inheriting scope", async () => {
    await setHeadOfficeScope("self");
    const selfToken = await acme.tokenFor(hoAdmin.email);
    expect((await client.get(`/api/customers/${tree.branch}/addresses`, { token: selfToken })).status).toBe(403);
    await setHeadOfficeScope("self_and_descendants");
    const token = await acme.tokenFor(hoAdmin.email);
    const read = await client.graphql(
      `query ($n: String!) { customerAddresses(customerNumber: $n) { addressNumber } }`,
      { n: tree.branch },
      token,
    );
    expect(read.errors).toBeUndefined();
  });
});

describe("a sales rep with an explicit customer list", () => {
  async function repCustomers(token: string): Promise<string[]> {
    const result = await client.get("/api/salesreps/customers", { token, query: { pageSize: 100 } });
    expect(result.status, result.text).toBe(200);
    return (result.body.data as { customerNumber: string }[]).map((c) => c.customerNumber).sort();
  }

  it("reaches a listed parent's descendants only when its assignment includes them", async () => {
    const email = uniqueEmail("rep");
    const created = await client.post("/api/salesRep", {
      token: acme.adminToken,
      body: {
        firstName: "R",
        email,
        salesRepCompanies: [{ company: acme.organizationId, customers: [tree.headOffice] }],
      },
    });
    expect(created.status, created.text).toBe(200);
    const assignmentId = created.body.data.salesRepCompanies[0].id as string;
    const token = await acme.repToken(email);
    expect(await repCustomers(token)).toEqual([tree.headOffice]);
    expect((await client.get(`/api/customers/${tree.branch}`, { token })).status).toBe(404);
    expect((await access(email, tree.branch)).status).toBe(403);

    const included = await client.patch("/api/organizations/salesreps/access", {
      token: acme.adminToken,
      body: { organizationSalesRepId: assignmentId, accessType: "customer", includeDescendants: true },
    });
    expect(included.status, included.text).toBe(200);
    expect(included.body.includeDescendants).toBe(true);
    expect(await repCustomers(token)).toEqual([tree.branch, tree.division, tree.headOffice].sort());
    const read = await client.graphql(
      `query ($n: String!) { customer(customerNumber: $n) { customerNumber } }`,
      { n: tree.branch },
      token,
    );
    expect(read.data?.customer).toEqual({ customerNumber: tree.branch });
    const acting = await access(email, tree.branch);
    expect(acting.status, acting.text).toBe(200);
    expect(claims(acting.body.AccessToken)).toMatchObject({ CustomerNumber: tree.branch, PriceTier: headOfficeTier });

    // Omitting the flag keeps it; setting it false takes the descendants away on the next request.
    const kept = await client.patch("/api/organizations/salesreps/access", {
      token: acme.adminToken,
      body: { organizationSalesRepId: assignmentId, accessType: "customer" },
    });
    expect(kept.body.includeDescendants).toBe(true);
    await client.patch("/api/organizations/salesreps/access", {
      token: acme.adminToken,
      body: { organizationSalesRepId: assignmentId, accessType: "customer", includeDescendants: false },
    });
    expect(await repCustomers(token)).toEqual([tree.headOffice]);
    expect((await client.get("/api/salesreps/customers", { token: acting.body.AccessToken })).status).toBe(403);
  });

  it("may include descendants from its creation by POST /api/salesRep, whose answer keeps its fields", async () => {
    const email = uniqueEmail("rep");
    const created = await client.post("/api/salesRep", {
      token: acme.adminToken,
      body: {
        firstName: "R",
        email,
        salesRepCompanies: [{ company: acme.organizationId, customers: [tree.division], includeDescendants: true }],
      },
    });
    expect(created.status, created.text).toBe(200);
    expect(Object.keys(created.body.data.salesRepCompanies[0]).sort()).toEqual([
      "accessType",
      "company",
      "customers",
      "id",
    ]);
    const token = await acme.repToken(email);
    expect(await repCustomers(token)).toEqual([tree.branch, tree.division].sort());
  });

  it("reaches a customer and those below it through a role's descendantsOf clause", async () => {
    const key = unique("division").toLowerCase();
    const role = await client.post("/api/organizations/sales-rep-roles", {
      token: acme.adminToken,
      body: { Key: key, Name: "Division", Scope: { Any: [{ DescendantsOf: tree.division }] } },
    });
    expect(role.status, role.text).toBe(201);
    expect(role.body.Scope).toEqual({ Any: [expect.objectContaining({ DescendantsOf: tree.division })] });
    const rep = await acme.salesRep();
    const token = await acme.repToken(rep.email);
    const set = await client.graphql(
      `mutation ($input: SetSalesRepAccessInput!) { setSalesRepAccess(input: $input) { accessType salesRepRole } }`,
      { input: { organizationSalesRepId: rep.organizationSalesRepId, accessType: "ROLE", salesRepRole: key } },
      acme.adminToken,
    );
    expect(set.errors).toBeUndefined();
    expect(await repCustomers(token)).toEqual([tree.branch, tree.division].sort());
  });
});

describe("tenant isolation", () => {
  it("never reaches another organization's customer, even one numbered like a branch", async () => {
    await setHeadOfficeScope("self_and_descendants");
    // The other organization has a tree of its own, numbered as acme's is.
    expect((await put(other, { customerNumber: unique("XHO") })).status).toBe(200);
    const foreign = await other.customer();
    expect((await put(other, { customerNumber: tree.branch })).status).toBe(200);
    const stranger = await other.member();
    await other.associate(stranger.userId, tree.branch);
    expect((await setCustomerRoles(other, stranger.userId, tree.branch, {})).status).toBe(200);

    const token = await acme.tokenFor(hoAdmin.email);
    const people = await client.get("/api/customer/users", { token, query: { CustomerNumber: tree.branch } });
    expect(people.status, people.text).toBe(200);
    expect(people.body.map((user: { UserId: string }) => user.UserId)).not.toContain(stranger.userId);

    expect((await access(hoAdmin.email, foreign.customerNumber)).status).toBe(403);
    expect(
      (await client.get("/api/customer/users", { token, query: { CustomerNumber: foreign.customerNumber } })).status,
    ).toBe(403);
    expect((await client.get(`/api/customers/${foreign.customerNumber}/addresses`, { token })).status).toBe(403);
    const removeForeign = await client.delete("/api/customer/users", {
      token,
      body: { UserId: stranger.userId, CustomerNumber: foreign.customerNumber },
    });
    expect(removeForeign.status).toBe(403);

    // An acme token cannot be enriched for the other organization's customer either.
    const otherOrgToken = await accessToken(client, await signIn(client, stranger.email), other.identityOrganizationId);
    expect(claims(otherOrgToken).CustomerNumber).toBe(tree.branch);
    const crossing = await client.get("/api/customer/users", {
      token: otherOrgToken,
      query: { CustomerNumber: tree.headOffice },
    });
    expect(crossing.status).toBe(403);
  });
});

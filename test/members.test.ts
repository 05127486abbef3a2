import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import type { ReceivedMail } from "./support/postmark-stand-in.js";
import { accessToken, password, signIn, unique, uniqueEmail } from "./support/seed.js";

/**
 * Item 2 of the account-security issue and the membership lifecycle: what an admin learns about
 * another organization's people, how a person hears of and leaves a membership, and how admins
 * take a person or an association out.
 */

let kit: TestKit;
let client: Client;

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { WEBHOOK_ALLOW_PRIVATE_URLS: "true", WEBHOOK_ALLOW_HTTP: "true" } });
  client = kit.client;
});
afterAll(() => kit?.close());

/** What only the person's own organization has on file. */
const stored = { FirstName: "Victoria", LastName: "Stored", PhoneNumber: "561-555-0100" };

/** A person with a password and a phone number, a member of an organization of its own. */
async function registeredPerson() {
  const home = await kit.organization();
  const email = uniqueEmail("victim");
  const created = await client.post("/api/users", {
    token: home.adminToken,
    body: { ...stored, Email: email, Password: password },
  });
  expect(created.status).toBe(200);
  return { email, userId: created.body.Id as string, home };
}

function expectNothingStored(answer: string) {
  for (const value of Object.values(stored)) expect(answer).not.toContain(value);
}

const leaveKey = (mail: ReceivedMail) => /leave-organization\?key=([A-Za-z0-9_-]+)/.exec(mail.TextBody)?.[1];

async function latestMail(address: string, count: number) {
  const mails = await kit.postmark.waitFor(address, count);
  return mails[count - 1]!;
}

describe("answers about another organization's person show only what the caller sent", () => {
  let stranger: Organization;
  beforeAll(async () => {
    stranger = await kit.organization();
  });

  it("over REST: POST /api/users, PUT /api/organizations/salesreps, POST /api/organizations/users/admins", async () => {
    const user = await registeredPerson();
    const created = await client.post("/api/users", {
      token: stranger.adminToken,
      body: { FirstName: "Guess", LastName: "Name", Email: user.email.toUpperCase() },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      Id: user.userId,
      FirstName: "Guess",
      LastName: "Name",
      Email: user.email.toUpperCase(),
      PhoneNumber: null,
    });

    const rep = await registeredPerson();
    const added = await client.put("/api/organizations/salesreps", {
      token: stranger.adminToken,
      body: { email: rep.email, firstName: "Some", lastName: "One", repNumber: unique("R") },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ firstName: "Some", lastName: "One", email: rep.email, phoneNumber: null });
    expectNothingStored(added.text);

    const admin = await registeredPerson();
    const assigned = await client.post("/api/organizations/users/admins", {
      token: stranger.adminToken,
      body: { Email: admin.email },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ Success: true });

    // The audit trail and the webhook data of the caller's organization carry no stored detail either.
    const trail = await client.get("/api/organizations/audit-events", {
      token: stranger.adminToken,
      query: { PageSize: 100 },
    });
    expectNothingStored(trail.text);
  });

  it("over GraphQL: createUser, addSalesRep, assignOrganizationAdmin", async () => {
    const user = await registeredPerson();
    const created = await client.graphql(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { id firstName lastName email phoneNumber } }`,
      { input: { firstName: "Guess", lastName: "Name", email: user.email } },
      stranger.adminToken,
    );
    expect(created.data.createUser).toEqual({
      id: user.userId,
      firstName: "Guess",
      lastName: "Name",
      email: user.email,
      phoneNumber: null,
    });

    const rep = await registeredPerson();
    const addRep = (roles: string[]) =>
      client.graphql(
        `mutation ($input: AddSalesRepInput!) { addSalesRep(input: $input) { firstName lastName email phoneNumber } }`,
        { input: { email: rep.email, firstName: "Some", lastName: "One", repNumber: unique("R"), roles } },
        stranger.adminToken,
      );
    const asAdmin = await addRep(["ADMIN"]);
    expect(asAdmin.codes).toEqual(["BAD_USER_INPUT"]);
    expect(asAdmin.errors![0]!.message).toContain("must be SalesRep");
    expect((await addRep(["SalesRep"])).codes).toEqual(["BAD_USER_INPUT"]);
    const added = await addRep(["SALES_REP"]);
    expect(added.data.addSalesRep).toEqual({ firstName: "Some", lastName: "One", email: rep.email, phoneNumber: null });

    const admin = await registeredPerson();
    const assigned = await client.graphql(
      `mutation ($email: String!) { assignOrganizationAdmin(email: $email) { id email firstName lastName roles pending } }`,
      { email: admin.email },
      stranger.adminToken,
    );
    expect(assigned.data.assignOrganizationAdmin).toEqual({
      id: admin.userId,
      email: admin.email,
      firstName: "",
      lastName: "",
      roles: ["ADMIN"],
      pending: false,
    });
  });

  it("over POST /api/salesRep (createSalesRep) too", async () => {
    const rep = await registeredPerson();
    const created = await client.post("/api/salesRep", {
      token: stranger.adminToken,
      body: {
        firstName: "Some",
        lastName: "One",
        email: rep.email,
        salesRepCompanies: [{ company: stranger.organizationId, customers: [] }],
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({ firstName: "Some", lastName: "One", email: rep.email });
    expectNothingStored(created.text);
  });

  it("shows its own members as stored", async () => {
    const user = await registeredPerson();
    const again = await client.post("/api/users", {
      token: user.home.adminToken,
      body: { FirstName: "Other", LastName: "Name", Email: user.email },
    });
    expect(again.body).toMatchObject(stored);
  });
});

describe("the membership e-mail and its leave link", () => {
  it("says which organization added the person, by whom and as what; the link takes it out at once (REST)", async () => {
    const org = await kit.organization();
    const person = await registeredPerson();
    await client.post("/api/organizations/users/admins", { token: org.adminToken, body: { Email: person.email } });
    const mail = await latestMail(person.email, 2);
    expect(mail.Subject).toContain(org.name);
    expect(mail.TextBody).toContain(`Ada Admin (${org.admin.email}) added you to ${org.name} as an administrator.`);
    const key = leaveKey(mail);
    expect(key).toBeDefined();
    expect(mail.TextBody).toContain(`leave-organization?key=${key}&block=1`);

    const token = await org.tokenFor(person.email);
    expect((await client.get("/api/organization", { token })).status).toBe(200);
    const left = await client.post("/api/auth/memberships/leave", { body: { Token: key } });
    expect(left.status).toBe(200);
    expect(left.body).toEqual({ OrganizationName: org.name, Blocked: false });
    // Effective on the next request, and the link works once.
    expect((await client.get("/api/organization", { token })).status).toBe(403);
    const members = await client.get("/api/organizations/users", { token: org.adminToken, query: { PageSize: 100 } });
    expect(members.body.Data.map((m: { Id: string }) => m.Id)).not.toContain(person.userId);
    const again = await client.post("/api/auth/memberships/leave", { body: { Token: key } });
    expect(again.status).toBe(400);
    expect(again.body.errors).toHaveProperty("Token");
  });

  it("leaves and blocks over GraphQL: the organization's later mail to the person is kept as suppressed", async () => {
    const org = await kit.organization();
    const person = await registeredPerson();
    await client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "X", LastName: "Y", Email: person.email },
    });
    const mail = await latestMail(person.email, 2);
    expect(mail.TextBody).toContain(`added you to ${org.name} as a member.`);
    const left = await client.graphql(
      `mutation ($token: String!) { leaveOrganization(token: $token, blockMail: true) { organizationName blocked } }`,
      { token: leaveKey(mail) },
    );
    expect(left.data.leaveOrganization).toEqual({ organizationName: org.name, blocked: true });

    await client.post("/api/organizations/users/admins", { token: org.adminToken, body: { Email: person.email } });
    const rows = await kit.server.database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.toAddress, person.email), eq(mailOutbox.organizationId, org.organizationId)));
    expect(rows.map((row) => row.status).sort()).toEqual(["sent", "suppressed"]);
    expect(rows.find((row) => row.status === "suppressed")!.lastError).toContain("blocked");
    // Another organization still reaches the person.
    const third = await kit.organization();
    await client.post("/api/organizations/users/admins", { token: third.adminToken, body: { Email: person.email } });
    expect((await latestMail(person.email, 3)).Subject).toContain(third.name);
  });

  it("refuses a token it never issued, over REST and GraphQL", async () => {
    expect((await client.post("/api/auth/memberships/leave", { body: { Token: "nope" } })).status).toBe(400);
    const gql = await client.graphql(`mutation { leaveOrganization(token: "nope") { blocked } }`);
    expect(gql.codes).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("removing a member: DELETE /api/organizations/users and removeOrganizationUser", () => {
  it("takes the customer association with it, effective on the next request, audited and raising user.removed", async () => {
    const org = await kit.organization();
    const endpoint = await client.post("/api/organizations/webhooks", {
      token: org.adminToken,
      body: { Url: "http://127.0.0.1:9/hook", EventTypes: ["user.removed", "association.removed"] },
    });
    const customer = await org.customerUser();
    expect((await client.get("/api/users/profile", { token: customer.token })).status).toBe(200);
    const removed = await client.delete("/api/organizations/users", {
      token: org.adminToken,
      body: { UserId: customer.userId },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ Success: true });
    expect((await client.get("/api/users/profile", { token: customer.token })).status).toBe(403);
    const associations = await client.get("/api/organizations/users/associations", { token: org.adminToken });
    expect(associations.body.Data).toEqual([]);
    const again = await client.delete("/api/organizations/users", {
      token: org.adminToken,
      body: { UserId: customer.userId },
    });
    expect(again.status).toBe(400);

    const trail = await client.get("/api/organizations/audit-events", {
      token: org.adminToken,
      query: { Operation: "removeOrganizationUser" },
    });
    expect(trail.body.Data).toHaveLength(1);
    expect(trail.body.Data[0].TargetIds).toContain(customer.userId);
    const deliveries = await client.get(`/api/organizations/webhooks/${endpoint.body.Id}/deliveries`, {
      token: org.adminToken,
    });
    expect(deliveries.body.Data.map((d: { EventType: string }) => d.EventType)).toEqual(["user.removed"]);
  });

  it("takes a sales rep's assignment (GraphQL) and refuses the last admin", async () => {
    const org = await kit.organization();
    const rep = await org.salesRep();
    const repToken = await org.repToken(rep.email);
    expect((await client.get("/api/salesreps/customers", { token: repToken })).status).toBe(200);
    const removed = await client.graphql(
      `mutation ($userId: String!) { removeOrganizationUser(userId: $userId) { userId organizationSalesRepIds } }`,
      { userId: rep.identityProviderUserId },
      org.adminToken,
    );
    expect(removed.data.removeOrganizationUser).toEqual({
      userId: rep.identityProviderUserId,
      organizationSalesRepIds: [rep.organizationSalesRepId],
    });
    expect((await client.get("/api/salesreps/customers", { token: repToken })).status).toBe(403);
    expect((await client.get("/api/organizations/salesreps", { token: org.adminToken })).body).toEqual([]);

    const last = await client.graphql(
      `mutation ($userId: String!) { removeOrganizationUser(userId: $userId) { userId } }`,
      { userId: org.admin.userId },
      org.adminToken,
    );
    expect(last.codes).toEqual(["CONFLICT"]);
    const rest = await client.delete("/api/organizations/users", {
      token: org.adminToken,
      body: { UserId: org.admin.userId },
    });
    expect(rest.status).toBe(400);
    expect(rest.body.errors).toEqual({ UserId: "is the organization's last admin" });
  });
});

describe("dissociating: DELETE /api/organizations/users/associate-customer and dissociateUserCustomer", () => {
  it("ends the Customer role on the next request, over REST and GraphQL", async () => {
    const org = await kit.organization();
    const first = await org.customerUser();
    const rest = await client.delete("/api/organizations/users/associate-customer", {
      token: org.adminToken,
      body: { UserId: first.userId, CustomerNumber: first.customerNumber },
    });
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({ Success: true });
    expect((await client.get("/api/users/profile", { token: first.token })).status).toBe(403);
    const repeat = await client.delete("/api/organizations/users/associate-customer", {
      token: org.adminToken,
      body: { UserId: first.userId, CustomerNumber: first.customerNumber },
    });
    expect(repeat.status).toBe(400);

    const second = await org.customerUser();
    const gql = await client.graphql(
      `mutation ($u: String!, $c: String!) { dissociateUserCustomer(userId: $u, customerNumber: $c) { userId customerNumber } }`,
      { u: second.userId, c: second.customerNumber },
      org.adminToken,
    );
    expect(gql.data.dissociateUserCustomer).toEqual({ userId: second.userId, customerNumber: second.customerNumber });
    expect((await client.get("/api/users/profile", { token: second.token })).status).toBe(403);
    // Still a member: only the association went.
    const members = await client.get("/api/organizations/users", { token: org.adminToken });
    expect(members.body.Data.map((m: { Id: string }) => m.Id)).toContain(second.userId);
  });
});

describe("MEMBERSHIP_CONSENT=required", () => {
  let consent: TestKit;
  beforeAll(async () => {
    consent = await testKit({ mail: true, env: { MEMBERSHIP_CONSENT: "required" } });
  });
  afterAll(() => consent?.close());

  it("keeps an existing account's membership pending, with no role, until the person accepts", async () => {
    const home = await consent.organization();
    const org = await consent.organization();
    const assigned = await consent.client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: home.admin.email },
    });
    expect(assigned.status).toBe(200);
    const admins = await consent.client.get("/api/organizations/users/admins", { token: org.adminToken });
    expect(admins.body).toContainEqual(
      expect.objectContaining({ Email: home.admin.email, Pending: true, FirstName: "Ada" }),
    );
    const identity = await signIn(consent.client, home.admin.email);
    const refused = await consent.client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(refused.status).toBe(403);

    const [mail] = await consent.postmark.waitFor(home.admin.email);
    expect(mail!.TextBody).toContain(
      `invited you to ${org.name} as an administrator. You are not a member until you accept.`,
    );
    const token = /[?&]token=([A-Za-z0-9_-]+)&join=1/.exec(mail!.TextBody)?.[1];
    expect(token).toBeDefined();
    const accepted = await consent.client.graphql(`mutation ($t: String!) { acceptInvitation(token: $t) { id } }`, {
      t: token,
    });
    expect(accepted.data.acceptInvitation).toEqual({ id: home.admin.userId });
    const admin = await accessToken(consent.client, identity, org.identityOrganizationId);
    expect((await consent.client.get("/api/organization", { token: admin })).status).toBe(200);
    // The password is the account's own: accepting never changes it.
    await signIn(consent.client, home.admin.email, password);
  });

  it("lists pending members and reps as such, and a new account joins at once", async () => {
    const home = await consent.organization();
    const org = await consent.organization();
    await consent.client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "A", LastName: "B", Email: home.admin.email },
    });
    const fresh = uniqueEmail("fresh");
    await consent.client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "New", LastName: "Person", Email: fresh, Password: password },
    });
    const members = await consent.client.graphql(
      `{ organizationUsers(pageSize: 100) { items { email pending roles } } }`,
      {},
      org.adminToken,
    );
    const byEmail = Object.fromEntries(
      members.data.organizationUsers.items.map((m: { email: string; pending: boolean }) => [m.email, m.pending]),
    );
    expect(byEmail).toEqual({ [org.admin.email]: false, [home.admin.email]: true, [fresh]: false });

    const repHome = await consent.organization();
    const rep = await consent.client.put("/api/organizations/salesreps", {
      token: org.adminToken,
      body: { email: repHome.admin.email, firstName: "R", lastName: "S", repNumber: unique("R") },
    });
    expect(rep.status).toBe(200);
    const reps = await consent.client.get("/api/organizations/salesreps", { token: org.adminToken });
    expect(reps.body).toEqual([expect.objectContaining({ email: repHome.admin.email, pending: true })]);
    const repIdentity = await signIn(consent.client, repHome.admin.email);
    const access = await consent.client.post("/api/auth/access", {
      token: repIdentity,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(access.status).toBe(403);
  });
});

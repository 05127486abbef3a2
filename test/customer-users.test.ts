import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKit, type CustomerUser, type Organization, type TestKit } from "./support/kit.js";
import { accessToken, claims, password, signIn, uniqueEmail } from "./support/seed.js";

/**
 * Buyer roles on a user's association, and customers that manage their own people: a customer
 * admin invites a colleague as a buyer, promotes them, cannot give what it lacks, cannot leave its
 * customer without a user manager, and never sees another customer's users.
 */

let kit: TestKit;
let acme: Organization;
let admin: CustomerUser;
let adminToken: string;
let neighbour: CustomerUser;

beforeAll(async () => {
  kit = await testKit({ mail: true });
  acme = await kit.organization();
  admin = await acme.customerUser();
  neighbour = await acme.customerUser();
  const promoted = await setCustomerRoles(admin.userId, admin.customerNumber, ["customer-admin"]);
  expect(promoted.status, promoted.text).toBe(200);
  adminToken = await acme.tokenFor(admin.email);
});
afterAll(() => kit?.close());

const api = () => kit.client;

function setCustomerRoles(userId: string, customerNumber: string, roles: string[], token = acme.adminToken) {
  return api().put("/api/organizations/users/customer-roles", {
    token,
    body: { UserId: userId, CustomerNumber: customerNumber, Roles: roles },
  });
}

async function invite(roles: string[], token = adminToken) {
  const email = uniqueEmail("colleague");
  const result = await api().post("/api/customer/users", {
    token,
    body: { Email: email, FirstName: "Col", LastName: "League", Roles: roles },
  });
  return { email, result };
}

/** Accepts the invitation e-mailed to `email` and signs in as the customer user. */
async function acceptAndSignIn(email: string): Promise<string> {
  const [mail] = await kit.postmark.waitFor(email);
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail!.TextBody)?.[1];
  const accepted = await api().post("/api/auth/invitations/accept", { body: { Token: token, Password: password } });
  expect(accepted.status, accepted.text).toBe(200);
  return acme.tokenFor(email);
}

describe("buyer roles given by the seller", () => {
  it("answer on the association and in the customer's token as a Permissions claim", async () => {
    const answer = await api().get("/api/users/customer-association", {
      token: acme.adminToken,
      query: { UserId: admin.userId },
    });
    // The documented answer keeps its fields; roles show over GraphQL.
    expect(Object.keys(answer.body).sort()).toEqual(["CustomerNumber", "OrganizationId", "UserId"]);
    const { data } = await api().graphql(
      `query ($userId: String!) { customerAssociation(userId: $userId) { customerNumber roles } }`,
      { userId: admin.userId },
      acme.adminToken,
    );
    expect(data.customerAssociation).toEqual({ customerNumber: admin.customerNumber, roles: ["customer-admin"] });
    expect(claims(adminToken)).toMatchObject({
      Roles: ["Customer"],
      CustomerNumber: admin.customerNumber,
      Permissions: [
        "customer.users.read",
        "customer.users.manage",
        "customer.addresses.read",
        "customer.addresses.manage",
        "customer.profile.read",
        "orders.place",
        "orders.view_all",
        "orders.approve",
        "quotes.request",
      ],
    });
    // A plain buyer, as every association was before roles, holds what the Customer role did.
    expect(claims(neighbour.token).Permissions).toEqual([
      "customer.addresses.read",
      "customer.profile.read",
      "orders.place",
      "quotes.request",
    ]);
    expect((await api().get("/api/users/profile", { token: neighbour.token })).status).toBe(200);
  });

  it("refuses unknown roles, seller roles and a user not associated with that customer", async () => {
    const unknown = await setCustomerRoles(admin.userId, admin.customerNumber, ["nope"]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual({ "Roles[0]": "does not name a buyer role of your organization" });
    const elsewhere = await setCustomerRoles(admin.userId, neighbour.customerNumber, ["buyer"]);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors).toEqual({
      UserId: `is not associated with customer ${neighbour.customerNumber} in your organization`,
    });
    expect((await setCustomerRoles(admin.userId, admin.customerNumber, [], neighbour.token)).status).toBe(403);
  });
});

describe("a customer admin managing its own people", () => {
  it("invites a colleague as buyer, who accepts by e-mail, and promotes them", async () => {
    const { email, result } = await invite(["buyer"]);
    expect(result.status, result.text).toBe(201);
    expect(result.body).toMatchObject({
      Email: email,
      FirstName: "Col",
      CustomerNumber: admin.customerNumber,
      Roles: ["buyer"],
    });
    const colleagueToken = await acceptAndSignIn(email);
    expect(claims(colleagueToken)).toMatchObject({ Roles: ["Customer"], CustomerNumber: admin.customerNumber });
    // A buyer may not manage people.
    expect((await api().get("/api/customer/users", { token: colleagueToken })).status).toBe(403);

    const listed = await api().get("/api/customer/users", { token: adminToken });
    expect(listed.status).toBe(200);
    expect(listed.body.map((user: { Email: string }) => user.Email).sort()).toEqual([admin.email, email].sort());
    // Neither another customer's users nor the seller's members.
    expect(listed.text).not.toContain(neighbour.email);
    expect(listed.text).not.toContain(acme.admin.email);

    const promoted = await api().put("/api/customer/users/roles", {
      token: adminToken,
      body: { UserId: result.body.UserId, Roles: ["customer-admin"] },
    });
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.body.Roles).toEqual(["customer-admin"]);
    const fresh = await acme.tokenFor(email);
    const { data, errors } = await api().graphql(`{ myCustomerUsers { email roles } }`, {}, fresh);
    expect(errors).toBeUndefined();
    expect(data.myCustomerUsers).toContainEqual({ email, roles: ["customer-admin"] });
  });

  it("cannot give what it lacks, nor a role the seller keeps for itself", async () => {
    const managers = await api().post("/api/organizations/roles", {
      token: acme.adminToken,
      body: {
        Key: "user-manager",
        Name: "User manager",
        Permissions: ["customer.users.read", "customer.users.manage"],
        Side: "buyer",
        BuyerAssignable: true,
      },
    });
    expect(managers.status, managers.text).toBe(201);
    const sellerOnly = await api().post("/api/organizations/roles", {
      token: acme.adminToken,
      body: { Key: "approver", Name: "Approver", Permissions: ["orders.approve"], Side: "buyer" },
    });
    expect(sellerOnly.status).toBe(201);

    const { result } = await invite(["user-manager"]);
    expect(result.status, result.text).toBe(201);
    const notAssignable = await invite(["approver"]);
    expect(notAssignable.result.status).toBe(400);
    expect(notAssignable.result.body.errors).toEqual({ "Roles[0]": "is not a role a customer may give" });

    const managerToken = await acceptAndSignIn(result.body.Email);
    const escalate = await invite(["customer-admin"], managerToken);
    expect(escalate.result.status).toBe(403);
    expect(escalate.result.body.detail).toMatch(/^You may not give or take away .*orders\.place.*: you do not hold it/);
    // It may not take away from the customer admin what it cannot give either.
    const demote = await api().put("/api/customer/users/roles", {
      token: managerToken,
      body: { UserId: admin.userId, Roles: ["user-manager"] },
    });
    expect(demote.status).toBe(403);
    const { result: buyer } = await invite(["buyer"]);
    // Not holding buyer's permissions, it may not remove a buyer either.
    const remove = await api().delete("/api/customer/users", {
      token: managerToken,
      body: { UserId: buyer.body.UserId },
    });
    expect(remove.status).toBe(403);
  });

  it("cannot remove or demote the customer's last user manager", async () => {
    const lone = await acme.customerUser();
    expect((await setCustomerRoles(lone.userId, lone.customerNumber, ["customer-admin"])).status).toBe(200);
    const token = await acme.tokenFor(lone.email);
    const demote = await api().put("/api/customer/users/roles", {
      token,
      body: { UserId: lone.userId, Roles: ["buyer"] },
    });
    expect(demote.status).toBe(400);
    expect(demote.body.detail).toMatch(/nobody left who manages its users/);
    const remove = await api().delete("/api/customer/users", { token, body: { UserId: lone.userId } });
    expect(remove.status).toBe(400);
    // With a second manager, the first may step down.
    const { result } = await invite(["customer-admin"], token);
    expect(result.status).toBe(201);
    const stepDown = await api().delete("/api/customer/users", { token, body: { UserId: lone.userId } });
    expect(stepDown.status, stepDown.text).toBe(200);
    expect(stepDown.body).toMatchObject({ UserId: lone.userId, Roles: ["customer-admin"] });
    // Gone from the customer, the old token stops working on its next request.
    expect((await api().get("/api/customer/users", { token })).status).toBe(403);
  });

  it("never reaches another customer's users or the seller's members", async () => {
    for (const userId of [neighbour.userId, acme.admin.userId]) {
      const roles = await api().put("/api/customer/users/roles", {
        token: adminToken,
        body: { UserId: userId, Roles: ["buyer"] },
      });
      expect(roles.status).toBe(404);
      const removed = await api().delete("/api/customer/users", { token: adminToken, body: { UserId: userId } });
      expect(removed.status).toBe(404);
    }
    // An address already a customer user of the organization cannot be pulled over.
    const taken = await api().post("/api/customer/users", {
      token: adminToken,
      body: { Email: neighbour.email, FirstName: "Nei", Roles: ["buyer"] },
    });
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual({ Email: "already belongs to a customer user of this organization" });
    // Seller tokens hold no buyer permission, and a token of another organization none here.
    expect((await api().get("/api/customer/users", { token: acme.adminToken })).status).toBe(403);
  });

  it("answers what it sent, not another organization's stored names, for an existing account", async () => {
    const other = await kit.organization();
    const invited = await api().post("/api/customer/users", {
      token: adminToken,
      body: { Email: other.admin.email, FirstName: "Typed", LastName: "Guess", Roles: ["buyer"] },
    });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.body).toMatchObject({ Email: other.admin.email, FirstName: "Typed", LastName: "Guess" });
  });

  it("loses the permission on the next request when the seller takes the role away", async () => {
    const user = await acme.customerUser();
    expect((await setCustomerRoles(user.userId, user.customerNumber, ["customer-admin"])).status).toBe(200);
    const token = await acme.tokenFor(user.email);
    expect((await api().get("/api/customer/users", { token })).status).toBe(200);
    expect((await setCustomerRoles(user.userId, user.customerNumber, ["buyer"])).status).toBe(200);
    const refused = await api().get("/api/customer/users", { token });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(
      "This operation requires the customer.users.read or customer.users.manage permission",
    );
    // What buyer still gives keeps working with the same token.
    expect((await api().get("/api/users/profile", { token })).status).toBe(200);
  });

  it("leaves every change in the audit trail, with the roles before and after", async () => {
    const trail = async (operation: string) =>
      (
        await api().get("/api/organizations/audit-events", {
          token: acme.adminToken,
          query: { Operation: operation, PageSize: 100 },
        })
      ).body.Data as { TargetIds: string[]; Changes: { Field: string; Before: unknown; After: unknown }[] }[];
    const seller = await trail("setCustomerUserRoles");
    expect(seller.find((event) => event.TargetIds[0] === admin.userId)?.Changes).toEqual([
      { Field: "roles", Before: ["buyer"], After: ["customer-admin"] },
    ]);
    expect((await trail("inviteCustomerUser")).length).toBeGreaterThan(0);
    expect((await trail("setMyCustomerUserRoles")).length).toBeGreaterThan(0);
    expect((await trail("removeMyCustomerUser")).length).toBeGreaterThan(0);
    expect((await trail("createRole")).length).toBeGreaterThan(0);
  });
});

describe("a customer's invitation under MEMBERSHIP_CONSENT=required", () => {
  let consent: TestKit;
  beforeAll(async () => {
    consent = await testKit({ mail: true, env: { MEMBERSHIP_CONSENT: "required" } });
  });
  afterAll(() => consent?.close());

  it("leaves an existing account without the Customer role until it accepts", async () => {
    const home = await consent.organization();
    const org = await consent.organization();
    // A new account joins at once, so the customer's user manager is no pending member itself.
    const managerEmail = uniqueEmail("manager");
    const created = await consent.client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "Max", LastName: "Manager", Email: managerEmail, Password: password },
    });
    expect(created.status, created.text).toBe(200);
    const { customerNumber } = await org.customer();
    await org.associate(created.body.Id, customerNumber);
    const promoted = await consent.client.put("/api/organizations/users/customer-roles", {
      token: org.adminToken,
      body: { UserId: created.body.Id, CustomerNumber: customerNumber, Roles: ["customer-admin"] },
    });
    expect(promoted.status, promoted.text).toBe(200);
    const invited = await consent.client.post("/api/customer/users", {
      token: await org.tokenFor(managerEmail),
      body: { Email: home.admin.email, FirstName: "Ada", LastName: "Home", Roles: ["buyer"] },
    });
    expect(invited.status, invited.text).toBe(201);

    const identity = await signIn(consent.client, home.admin.email);
    const refused = await consent.client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(refused.status).toBe(403);

    const [mail] = await consent.postmark.waitFor(home.admin.email);
    const token = /[?&]token=([A-Za-z0-9_-]+)&join=1/.exec(mail!.TextBody)?.[1];
    expect(token).toBeDefined();
    const accepted = await consent.client.post("/api/auth/invitations/accept", { body: { Token: token } });
    expect(accepted.status, accepted.text).toBe(200);
    const customerToken = await accessToken(consent.client, identity, org.identityOrganizationId);
    expect(claims(customerToken)).toMatchObject({ Roles: ["Customer"], CustomerNumber: customerNumber });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims, password, unique } from "./support/seed.js";

/**
 * A seller defines custom roles and gives them to members and API clients; what a role grants is
 * what its holder can do, from the next request, and nobody can give what it does not hold.
 */

let kit: TestKit;
let acme: Organization;
let globex: Organization;

beforeAll(async () => {
  kit = await testKit();
  [acme, globex] = await Promise.all([kit.organization(), kit.organization()]);
});
afterAll(() => kit?.close());

const api = () => kit.client;

async function createRole(org: Organization, body: Record<string, unknown>, token = org.adminToken) {
  return api().post("/api/organizations/roles", { token, body });
}

async function giveRoles(org: Organization, userId: string, roles: string[], token = org.adminToken) {
  return api().put("/api/organizations/users/roles", { token, body: { UserId: userId, Roles: roles } });
}

function tokenRequest(form: Record<string, string>) {
  return api().post("/oauth/token", {
    rawBody: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

describe("the role catalogue of an organization", () => {
  it("starts with the built-in buyer roles customer-admin and buyer", async () => {
    const listed = await api().get("/api/organizations/roles", { token: acme.adminToken });
    expect(listed.status).toBe(200);
    expect(listed.body.map((role: { Key: string }) => role.Key)).toEqual(["customer-admin", "buyer"]);
    expect(listed.body[1]).toMatchObject({
      Key: "buyer",
      Side: "buyer",
      BuiltIn: true,
      BuyerAssignable: true,
      Permissions: ["customer.addresses.read", "customer.profile.read", "orders.place", "quotes.request"],
    });
    expect(listed.body[0].Permissions).toEqual(
      expect.arrayContaining(["customer.users.manage", "customer.users.read", "orders.approve"]),
    );
  });

  it("creates a custom role (201) and lists it, over REST and GraphQL", async () => {
    const key = unique("catalog").toLowerCase();
    const created = await createRole(acme, {
      Key: key,
      Name: "Catalog manager",
      Description: "Keeps tiers and customers",
      Permissions: ["price_tiers.read", "price_tiers.manage", "customers.read"],
      Side: "seller",
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      Key: key,
      Name: "Catalog manager",
      Side: "seller",
      BuiltIn: false,
      BuyerAssignable: false,
      Permissions: ["price_tiers.read", "price_tiers.manage", "customers.read"],
    });
    const { data, errors } = await api().graphql(`{ roles { key side builtIn permissions } }`, {}, acme.adminToken);
    expect(errors).toBeUndefined();
    expect(data.roles).toContainEqual({
      key,
      side: "SELLER",
      builtIn: false,
      permissions: ["price_tiers.read", "price_tiers.manage", "customers.read"],
    });
    // Another organization does not see it, and cannot change or delete it.
    const foreign = await api().get("/api/organizations/roles", { token: globex.adminToken });
    expect(foreign.text).not.toContain(key);
    expect(
      (await api().patch(`/api/organizations/roles/${key}`, { token: globex.adminToken, body: { Name: "x" } })).status,
    ).toBe(404);
    expect((await api().delete(`/api/organizations/roles/${key}`, { token: globex.adminToken })).status).toBe(404);
  });

  it("refuses bad keys, unknown permissions, permissions of the other side and taken keys with 400", async () => {
    const bad = await createRole(acme, {
      Key: "Not a key!",
      Name: "",
      Permissions: ["price_tiers.read", "no.such", "orders.place"],
      Side: "seller",
      BuyerAssignable: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({
      Key: "must start with a letter and hold only lower-case letters, digits, - and _",
      Name: "is required",
      "Permissions[1]": "is not a permission of the catalogue",
      "Permissions[2]": "is a buyer permission, not a seller one",
      BuyerAssignable: "applies to buyer roles only",
    });
    const reserved = await createRole(acme, {
      Key: "buyer",
      Name: "Mine",
      Permissions: ["orders.place"],
      Side: "buyer",
    });
    expect(reserved.status).toBe(400);
    expect(reserved.body.errors).toEqual({ Key: "is the key of a built-in role" });
    const side = await createRole(acme, { Key: "x", Name: "X", Permissions: ["orders.place"], Side: "nobody" });
    expect(side.status).toBe(400);

    const key = unique("twice").toLowerCase();
    expect((await createRole(acme, { Key: key, Name: "A", Permissions: ["audit.read"], Side: "seller" })).status).toBe(
      201,
    );
    const again = await createRole(acme, {
      Key: key.toUpperCase(),
      Name: "B",
      Permissions: ["audit.read"],
      Side: "seller",
    });
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual({ Key: "is already the key of a role of your organization" });
  });

  it("refuses to change or delete a built-in role", async () => {
    expect(
      (await api().patch("/api/organizations/roles/buyer", { token: acme.adminToken, body: { Name: "x" } })).status,
    ).toBe(400);
    expect((await api().delete("/api/organizations/roles/customer-admin", { token: acme.adminToken })).status).toBe(
      400,
    );
  });
});

describe("a member with a custom seller role", () => {
  it("can do what the role grants from a fresh token, and loses it on the next request when the role goes", async () => {
    const key = unique("tiers").toLowerCase();
    expect(
      (
        await createRole(acme, {
          Key: key,
          Name: "Tiers",
          Permissions: ["price_tiers.read", "price_tiers.manage"],
          Side: "seller",
        })
      ).status,
    ).toBe(201);
    const member = await acme.member();
    // A member with no role at all gets no access token.
    const refused = await api().post("/api/auth/access", {
      token: (await api().post("/api/auth/sign-in", { body: { Email: member.email, Password: password } })).body
        .AccessToken,
      body: { IdentityOrganizationId: acme.identityOrganizationId },
    });
    expect(refused.status).toBe(403);

    const given = await giveRoles(acme, member.userId, [key]);
    expect(given.status, given.text).toBe(200);
    expect(given.body).toMatchObject({ Id: member.userId, Roles: [], CustomRoles: [key] });

    const token = await acme.tokenFor(member.email);
    expect(claims(token)).toMatchObject({ Roles: [], Permissions: ["price_tiers.read", "price_tiers.manage"] });
    const tier = await api().post("/api/organizations/price-tiers", {
      token,
      body: { Name: unique("Tier"), CurrencyCode: "USD" },
    });
    expect(tier.status, tier.text).toBe(200);
    expect((await api().get("/api/organization", { token })).status).toBe(403);
    const { codes } = await api().graphql(`{ customers { totalCount } }`, {}, token);
    expect(codes).toEqual(["FORBIDDEN"]);

    // The role loses a permission: the holder's token stops carrying it at once.
    const patched = await api().patch(`/api/organizations/roles/${key}`, {
      token: acme.adminToken,
      body: { Permissions: ["price_tiers.read"] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.Permissions).toEqual(["price_tiers.read"]);
    const after = await api().post("/api/organizations/price-tiers", {
      token,
      body: { Name: unique("Tier"), CurrencyCode: "USD" },
    });
    expect(after.status).toBe(403);
    expect((await api().get("/api/organizations/price-tiers", { token })).status).toBe(200);

    // The role is taken away: the token no longer works at all.
    expect((await giveRoles(acme, member.userId, [])).status).toBe(200);
    expect((await api().get("/api/organizations/price-tiers", { token })).status).toBe(403);
  });

  it("cannot give, define or take away what it does not hold itself", async () => {
    const manager = unique("role-manager").toLowerCase();
    expect(
      (
        await createRole(acme, {
          Key: manager,
          Name: "Role manager",
          Permissions: ["roles.manage", "roles.read", "audit.read", "users.manage"],
          Side: "seller",
        })
      ).status,
    ).toBe(201);
    const webhooks = unique("hooks").toLowerCase();
    expect(
      (await createRole(acme, { Key: webhooks, Name: "Hooks", Permissions: ["webhooks.manage"], Side: "seller" }))
        .status,
    ).toBe(201);
    const member = await acme.member();
    expect((await giveRoles(acme, member.userId, [manager])).status).toBe(200);
    const token = await acme.tokenFor(member.email);

    const escalate = await giveRoles(acme, member.userId, [manager, webhooks], token);
    expect(escalate.status).toBe(403);
    expect(escalate.body.detail).toBe("You may not give or take away webhooks.manage: you do not hold it yourself");
    const define = await createRole(
      acme,
      { Key: unique("wide").toLowerCase(), Name: "Wide", Permissions: ["webhooks.manage"], Side: "seller" },
      token,
    );
    expect(define.status).toBe(403);
    const widen = await api().patch(`/api/organizations/roles/${manager}`, {
      token,
      body: { Permissions: ["roles.manage", "roles.read", "api_clients.manage"] },
    });
    expect(widen.status).toBe(403);
    // Admin is a role too: a holder of users.manage alone may not make (or unmake) an admin.
    const admin = await api().post("/api/organizations/users/admins", { token, body: { Email: member.email } });
    expect(admin.status).toBe(403);
    expect(admin.body.detail).toMatch(
      /^You may not give or take away .*organization\.manage.*: you do not hold it yourself$/,
    );
    const demote = await api().delete("/api/organizations/users/admins", {
      token,
      body: { UserId: acme.admin.userId },
    });
    expect(demote.status).toBe(403);
    const audit = unique("audit").toLowerCase();
    expect(
      (await createRole(acme, { Key: audit, Name: "Audit", Permissions: ["audit.read"], Side: "seller" }, token))
        .status,
    ).toBe(201);
    // A role it holds every permission of, it may give and take away.
    const other = await acme.member();
    expect((await giveRoles(acme, other.userId, [audit], token)).status).toBe(200);
    expect((await giveRoles(acme, other.userId, [], token)).status).toBe(200);
    // Unknown keys and buyer roles are not seller roles.
    const unknown = await giveRoles(acme, other.userId, ["nope", "buyer"]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual({
      "Roles[0]": "does not name a seller role of your organization",
      "Roles[1]": "does not name a seller role of your organization",
    });
  });

  it("cannot be given a role by an admin of another organization, nor be named from there", async () => {
    const member = await acme.member();
    const foreign = await giveRoles(globex, member.userId, []);
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual({ UserId: "does not match a user of your organization" });
  });
});

describe("an API client with a custom role", () => {
  it("holds what the role grants and nothing that needs a person", async () => {
    const key = unique("erp").toLowerCase();
    expect(
      (
        await createRole(acme, {
          Key: key,
          Name: "ERP",
          Permissions: ["customers.read", "customers.manage"],
          Side: "seller",
        })
      ).status,
    ).toBe(201);
    const created = await api().post("/api/organizations/api-clients", {
      token: acme.adminToken,
      body: { Name: "ERP sync", Roles: [key] },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body.Roles).toEqual([key]);
    const exchanged = await tokenRequest({
      grant_type: "client_credentials",
      client_id: created.body.Id,
      client_secret: created.body.ClientSecret,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.scope).toBe(key);
    const token = exchanged.body.access_token as string;
    expect(claims(token)).toMatchObject({ Roles: [], Permissions: ["customers.read", "customers.manage"] });
    expect((await api().get("/api/customers", { token })).status).toBe(200);
    expect((await api().get("/api/organization", { token })).status).toBe(403);

    // A role needing a person cannot go to a client, and a held role cannot gain such a permission.
    const rep = unique("rep-like").toLowerCase();
    expect(
      (await createRole(acme, { Key: rep, Name: "Rep-like", Permissions: ["customers.read_assigned"], Side: "seller" }))
        .status,
    ).toBe(201);
    const personal = await api().put("/api/organizations/api-clients/roles", {
      token: acme.adminToken,
      body: { Id: created.body.Id, Roles: [key, rep] },
    });
    expect(personal.status).toBe(400);
    expect(personal.body.errors).toEqual({
      "Roles[1]": "holds customers.read_assigned, which needs a person: an API client cannot hold it",
    });
    const widened = await api().patch(`/api/organizations/roles/${key}`, {
      token: acme.adminToken,
      body: { Permissions: ["customers.read", "customers.read_assigned"] },
    });
    expect(widened.status).toBe(400);

    // A role nobody may delete while held; once the client gives it up, it goes.
    const held = await api().delete(`/api/organizations/roles/${key}`, { token: acme.adminToken });
    expect(held.status).toBe(409);
    expect(held.body.detail).toMatch(/still held by 0 member\(s\), 0 customer user\(s\) and 1 API client\(s\)/);
    const audit = unique("audit").toLowerCase();
    expect(
      (await createRole(acme, { Key: audit, Name: "Audit", Permissions: ["audit.read"], Side: "seller" })).status,
    ).toBe(201);
    const swapped = await api().put("/api/organizations/api-clients/roles", {
      token: acme.adminToken,
      body: { Id: created.body.Id, Roles: [audit] },
    });
    expect(swapped.status, swapped.text).toBe(200);
    expect(swapped.body.Roles).toEqual([audit]);
    // The token claimed the old role's permissions, which the client holds no longer: refused next request.
    expect((await api().get("/api/customers", { token })).status).toBe(403);
    const deleted = await api().delete(`/api/organizations/roles/${key}`, { token: acme.adminToken });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.Key).toBe(key);
    expect((await api().delete(`/api/organizations/roles/${key}`, { token: acme.adminToken })).status).toBe(404);
  });

  it("may not be given a role its creator does not hold in full", async () => {
    const key = unique("reader").toLowerCase();
    expect(
      (
        await createRole(acme, {
          Key: key,
          Name: "Reader",
          Permissions: ["api_clients.manage", "roles.manage"],
          Side: "seller",
        })
      ).status,
    ).toBe(201);
    const member = await acme.member();
    expect((await giveRoles(acme, member.userId, [key])).status).toBe(200);
    const token = await acme.tokenFor(member.email);
    const admin = await api().post("/api/organizations/api-clients", {
      token,
      body: { Name: "Escalator", Roles: ["Admin"] },
    });
    expect(admin.status).toBe(403);
  });
});

describe("roles over GraphQL", () => {
  it("creates, updates, gives and deletes a role, answering what changed", async () => {
    const key = unique("gql").toLowerCase();
    const created = await api().graphql(
      `mutation ($input: CreateRoleInput!) { createRole(input: $input) { key name side buyerAssignable permissions } }`,
      { input: { key, name: "Approvers", side: "BUYER", buyerAssignable: true, permissions: ["orders.approve"] } },
      acme.adminToken,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createRole).toEqual({
      key,
      name: "Approvers",
      side: "BUYER",
      buyerAssignable: true,
      permissions: ["orders.approve"],
    });
    const updated = await api().graphql(
      `mutation ($key: String!) { updateRole(key: $key, input: { description: "Sign off orders" }) { description name } }`,
      { key },
      acme.adminToken,
    );
    expect(updated.data.updateRole).toEqual({ description: "Sign off orders", name: "Approvers" });
    const member = await acme.member();
    const given = await api().graphql(
      `mutation ($userId: String!) { setUserRoles(userId: $userId, roles: [$key]) { customRoles } }`.replace(
        "$key",
        JSON.stringify(key),
      ),
      { userId: member.userId },
      acme.adminToken,
    );
    expect(given.codes).toEqual(["BAD_USER_INPUT"]);
    const deleted = await api().graphql(
      `mutation ($key: String!) { deleteRole(key: $key) { key } }`,
      { key },
      acme.adminToken,
    );
    expect(deleted.data.deleteRole).toEqual({ key });
  });
});

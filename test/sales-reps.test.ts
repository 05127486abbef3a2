import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import type { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { invitationToken, type AddedRep } from "./support/sales-rep-seed.js";
import { accessToken, claims, password, signIn, unique, uniqueEmail } from "./support/seed.js";

let postmark: PostmarkStandIn;
let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;

beforeAll(async () => {
  kit = await testKit({ mail: true });
  postmark = kit.postmark;
  client = kit.client;
  acme = await kit.organization();
  other = await kit.organization();
});
afterAll(() => kit?.close());

const path = "/api/organizations/salesreps";

const addedKeys = [
  "email",
  "firstName",
  "identityProvider",
  "identityProviderUserId",
  "lastName",
  "organizationId",
  "organizationName",
  "organizationSalesRepId",
  "phoneNumber",
  "repNumber",
  "salesRepId",
];
const listKeys = [
  "active",
  "email",
  "firstName",
  "lastName",
  "organizationId",
  "organizationSalesRepId",
  "pending",
  "phoneNumber",
  "repNumber",
  "salesRepId",
];

describe("PUT /api/organizations/salesreps", () => {
  it("creates the rep, answers exactly the documented fields and e-mails an invitation link", async () => {
    const email = uniqueEmail("john");
    const result = await client.put(path, {
      token: acme.adminToken,
      body: {
        firstName: "John",
        lastName: "Doe",
        email,
        phoneNumber: "123-456-7890",
        repNumber: "REP-001",
        roles: ["SalesRep"],
      },
    });
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(addedKeys);
    expect(result.body).toMatchObject({
      organizationId: acme.organizationId,
      organizationName: acme.name,
      firstName: "John",
      lastName: "Doe",
      email,
      phoneNumber: "123-456-7890",
      repNumber: "REP-001",
      identityProvider: "builtin",
    });

    const [mail] = await postmark.waitFor(email);
    expect(mail!.Subject).toContain(acme.name);
    expect(mail!.TextBody).toMatch(/[?&]token=/);

    const token = await acme.repToken(email);
    expect(claims(token)).toMatchObject({ Roles: ["SalesRep"], OrganizationId: acme.organizationId });
    // The built-in provider's user id is the one the tokens carry.
    expect(result.body.identityProviderUserId).toBe(claims(token).UserId);
  });

  it("binds keys case-insensitively and treats phoneNumber and roles as optional", async () => {
    const result = await client.put(path, {
      token: acme.adminToken,
      body: { FirstName: "Pat", LastName: "Lee", Email: uniqueEmail("pat"), RepNumber: unique("R") },
    });
    expect(result.status).toBe(200);
    expect(result.body.phoneNumber).toBeNull();
  });

  it("reuses the user and rep with that e-mail in any case, sending a sign-in link to a user with a password", async () => {
    const person = await kit.organization();
    const first = await acme.salesRep({ email: person.admin.email.toUpperCase(), firstName: "Ignored" });
    const second = await other.salesRep({ email: person.admin.email });
    expect(second.salesRepId).toBe(first.salesRepId);
    expect(second.organizationSalesRepId).not.toBe(first.organizationSalesRepId);
    // Another organization's person is answered as the caller described it, never as stored...
    expect(first.firstName).toBe("Ignored");
    expect(first.email).toBe(person.admin.email.toUpperCase());
    // ...and the account keeps its own name: one tenant cannot rename a shared identity.
    const own = await client.get("/api/salesreps/organizations", { token: await signIn(client, person.admin.email) });
    expect(own.body.salesRepOrganizations.map((a: { firstName: string }) => a.firstName)).toEqual(["Ada", "Ada"]);

    const mails = await postmark.waitFor(person.admin.email, 2);
    for (const mail of mails) {
      expect(mail.TextBody).not.toMatch(/token=/);
      expect(mail.TextBody).toContain(`Sign in: ${kit.server.config.SIGN_IN_URL}`);
    }
  });

  it("refuses a rep number used in the organization and a rep already assigned, with 400", async () => {
    const rep = await acme.salesRep();
    const clash = await client.put(path, {
      token: acme.adminToken,
      body: { firstName: "A", lastName: "B", email: uniqueEmail(), repNumber: rep.repNumber },
    });
    expect(clash.status).toBe(400);
    expect(clash.headers.get("content-type")).toContain("application/problem+json");
    expect(clash.body.errors).toHaveProperty("repNumber");

    const again = await client.put(path, {
      token: acme.adminToken,
      body: { firstName: "A", lastName: "B", email: rep.email.toUpperCase(), repNumber: unique("R") },
    });
    expect(again.status).toBe(400);
    expect(again.body.errors).toHaveProperty("email");

    // Rep numbers are unique per organization only.
    const elsewhere = await other.salesRep({ repNumber: rep.repNumber });
    expect(elsewhere.repNumber).toBe(rep.repNumber);
  });

  it("names every missing or invalid field", async () => {
    const missing = await client.put(path, { token: acme.adminToken, body: {} });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors).sort()).toEqual(["email", "firstName", "lastName", "repNumber"]);

    const invalid = await client.put(path, {
      token: acme.adminToken,
      body: {
        firstName: " ",
        lastName: "B",
        email: "not-an-email",
        repNumber: "R",
        phoneNumber: "call me",
        roles: ["Admin"],
      },
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.errors).sort()).toEqual(["email", "firstName", "phoneNumber", "roles[0]"]);

    const wrongType = await client.put(path, {
      token: acme.adminToken,
      body: { firstName: 1, lastName: "B", email: uniqueEmail(), repNumber: "R" },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toHaveProperty("firstName");
  });

  it("answers 401 without or with a forged token, 403 for an identity token or a rep's token", async () => {
    const body = { firstName: "A", lastName: "B", email: uniqueEmail(), repNumber: unique("R") };
    expect((await client.put(path, { body })).status).toBe(401);
    expect((await client.put(path, { body, token: kit.tokens.tampered(acme.adminToken) })).status).toBe(401);
    const identity = await signIn(client, acme.admin.email);
    expect((await client.put(path, { body, token: identity })).status).toBe(403);
    const rep = await acme.salesRep();
    const repToken = await acme.repToken(rep.email);
    expect((await client.put(path, { body, token: repToken })).status).toBe(403);
  });
});

describe("GET /api/organizations/salesreps", () => {
  let org: Organization;
  let reps: {
    repNumber: string;
    firstName: string;
    lastName: string;
    email: string;
    phoneNumber: string;
    active: boolean;
  }[];

  beforeAll(async () => {
    org = await kit.organization();
    const specs = [
      { repNumber: "B-2", firstName: "Carla", lastName: "Adams", email: uniqueEmail("m"), phoneNumber: "555-0003" },
      { repNumber: "A-1", firstName: "Bruno", lastName: "Cole", email: uniqueEmail("z"), phoneNumber: "555-0001" },
      { repNumber: "C-3", firstName: "Alice", lastName: "Baker", email: uniqueEmail("a"), phoneNumber: "555-0002" },
    ];
    reps = [];
    for (const spec of specs) {
      const added = await org.salesRep(spec);
      reps.push({ ...spec, active: spec.repNumber !== "C-3" });
      if (spec.repNumber === "C-3") {
        await client.post(`${path}/deactivate`, {
          token: org.adminToken,
          body: { organizationSalesRepId: added.organizationSalesRepId },
        });
      }
    }
  });

  it("answers a bare array of the documented fields, by RepNumber ascending, with X-Total-Count", async () => {
    const result = await client.get(path, { token: org.adminToken });
    expect(result.status).toBe(200);
    expect(result.headers.get("x-total-count")).toBe("3");
    expect(Array.isArray(result.body)).toBe(true);
    for (const row of result.body) expect(Object.keys(row).sort()).toEqual(listKeys);
    expect(result.body.map((row: { repNumber: string }) => row.repNumber)).toEqual(["A-1", "B-2", "C-3"]);
    expect(result.body[0]).toMatchObject({
      organizationId: org.organizationId,
      firstName: "Bruno",
      lastName: "Cole",
      active: true,
    });
    expect(result.body[2].active).toBe(false);
  });

  const sortCases: [string, keyof (typeof reps)[number]][] = [
    ["RepNumber", "repNumber"],
    ["FirstName", "firstName"],
    ["LastName", "lastName"],
    ["Email", "email"],
    ["PhoneNumber", "phoneNumber"],
    ["Active", "active"],
  ];
  for (const [sortOn, key] of sortCases) {
    it(`sorts on ${sortOn} both ways, the name in any case`, async () => {
      for (const direction of ["asc", "desc"] as const) {
        const result = await client.get(path, {
          token: org.adminToken,
          query: { sortOn: sortOn.toLowerCase(), sortDirection: direction.toUpperCase() },
        });
        expect(result.status).toBe(200);
        const got = result.body.map((row: Record<string, unknown>) => row[key]);
        // PostgreSQL compares text by its collation; JavaScript's localeCompare is the nearest model.
        const expected = reps
          .map((rep) => rep[key])
          .sort((a, b) => (typeof a === "boolean" ? Number(a) - Number(b) : String(a).localeCompare(String(b))));
        if (direction === "desc") expected.reverse();
        expect(got).toEqual(expected);
      }
    });
  }

  it("pages", async () => {
    const result = await client.get(path, { token: org.adminToken, query: { pageNumber: 2, pageSize: 2 } });
    expect(result.status).toBe(200);
    expect(result.headers.get("x-total-count")).toBe("3");
    expect(result.body.map((row: { repNumber: string }) => row.repNumber)).toEqual(["C-3"]);
    const beyond = await client.get(path, { token: org.adminToken, query: { pageNumber: 9 } });
    expect(beyond.body).toEqual([]);
  });

  it("refuses bad paging and sorting values with 400 naming the parameter", async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ pageNumber: 0 }, "pageNumber"],
      [{ pageSize: 101 }, "pageSize"],
      [{ pageSize: 0 }, "pageSize"],
      [{ pageSize: "many" }, "pageSize"],
      [{ sortOn: "Bogus" }, "sortOn"],
      [{ sortOn: "organizationId" }, "sortOn"],
      [{ sortDirection: "up" }, "sortDirection"],
    ];
    for (const [query, field] of cases) {
      const result = await client.get(path, { token: org.adminToken, query });
      expect(result.status, JSON.stringify(query)).toBe(400);
      expect(result.body.errors).toHaveProperty(field);
    }
  });

  it("shows each admin only its own organization's reps, and refuses other roles", async () => {
    const result = await client.get(path, { token: other.adminToken, query: { pageSize: 100 } });
    const emails = result.body.map((row: { email: string }) => row.email);
    for (const rep of reps) expect(emails).not.toContain(rep.email);
    expect((await client.get(path)).status).toBe(401);
    expect((await client.get(path, { token: await signIn(client, org.admin.email) })).status).toBe(403);
  });
});

describe("PATCH /api/organizations/salesreps", () => {
  it("changes the rep number and answers the documented fields with success", async () => {
    const rep = await acme.salesRep();
    const repNumber = unique("REP-099");
    const result = await client.patch(path, {
      token: acme.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId, repNumber },
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      organizationId: acme.organizationId,
      organizationSalesRepId: rep.organizationSalesRepId,
      salesRepId: rep.salesRepId,
      repNumber,
      firstName: rep.firstName,
      lastName: rep.lastName,
      email: rep.email,
      success: true,
    });
  });

  it("refuses a clash with 400, a missing field with 400, and an unknown or foreign id with the same 404", async () => {
    const [a, b] = [await acme.salesRep(), await acme.salesRep()];
    const clash = await client.patch(path, {
      token: acme.adminToken,
      body: { organizationSalesRepId: a.organizationSalesRepId, repNumber: b.repNumber },
    });
    expect(clash.status).toBe(400);
    expect(clash.body.errors).toHaveProperty("repNumber");

    const missing = await client.patch(path, {
      token: acme.adminToken,
      body: { organizationSalesRepId: a.organizationSalesRepId },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty("repNumber");

    const unknown = await client.patch(path, {
      token: acme.adminToken,
      body: { organizationSalesRepId: "nope", repNumber: "X" },
    });
    const foreign = await client.patch(path, {
      token: other.adminToken,
      body: { organizationSalesRepId: a.organizationSalesRepId, repNumber: "X" },
    });
    expect(unknown.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(unknown.body.detail);

    const list = await client.get(path, { token: acme.adminToken, query: { pageSize: 100 } });
    expect(
      list.body.find(
        (row: { organizationSalesRepId: string }) => row.organizationSalesRepId === a.organizationSalesRepId,
      ).repNumber,
    ).toBe(a.repNumber);
  });
});

describe("deactivate and activate", () => {
  it("revokes access at once, keeps the record, and restores it with a re-invitation", async () => {
    const rep = await acme.salesRep();
    const token = await acme.repToken(rep.email);
    const identity = await signIn(client, rep.email);
    expect((await client.get("/api/salesreps/customers", { token })).status).toBe(200);

    const deactivated = await client.post(`${path}/deactivate`, {
      token: acme.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId },
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.text).toBe("");

    // The old token fails on its next request, and no new one is issued.
    expect((await client.get("/api/salesreps/customers", { token })).status).toBe(403);
    const refused = await client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: acme.identityOrganizationId },
    });
    expect(refused.status).toBe(403);

    const list = await client.get(path, { token: acme.adminToken, query: { pageSize: 100 } });
    expect(list.body.find((row: { salesRepId: string }) => row.salesRepId === rep.salesRepId).active).toBe(false);
    const mine = await client.get("/api/salesreps/organizations", { token: identity });
    expect(mine.body.salesRepOrganizations).toEqual([
      expect.objectContaining({ organizationId: acme.organizationId, active: false }),
    ]);

    const activated = await client.post(`${path}/activate`, {
      token: acme.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId },
    });
    expect(activated.status).toBe(200);
    expect(activated.text).toBe("");
    const [, reinvitation] = await postmark.waitFor(rep.email, 2);
    expect(reinvitation!.Subject).toMatch(/restored/i);
    // The rep has a password by now, so the re-invitation carries a sign-in link.
    expect(reinvitation!.TextBody).not.toMatch(/token=/);

    const restored = await accessToken(client, identity, acme.identityOrganizationId);
    expect(claims(restored).Roles).toEqual(["SalesRep"]);
    expect((await client.get("/api/salesreps/customers", { token: restored })).status).toBe(200);
  });

  it("re-invites a rep that never set a password with a fresh password link", async () => {
    const rep = await acme.salesRep();
    const first = await invitationToken(postmark, rep.email);
    await client.post(`${path}/deactivate`, {
      token: acme.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId },
    });
    await client.post(`${path}/activate`, {
      token: acme.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId },
    });
    const second = await invitationToken(postmark, rep.email, 2);
    expect(second).not.toBe(first);
    const stale = await client.post("/api/auth/invitations/accept", { body: { Token: first, Password: password } });
    expect(stale.status).toBe(400);
    const fresh = await client.post("/api/auth/invitations/accept", { body: { Token: second, Password: password } });
    expect(fresh.status).toBe(200);
  });

  it("answers 404 alike for an unknown id and another organization's, and changes nothing there", async () => {
    const rep = await acme.salesRep();
    for (const action of ["activate", "deactivate"]) {
      const unknown = await client.post(`${path}/${action}`, {
        token: acme.adminToken,
        body: { organizationSalesRepId: "nope" },
      });
      const foreign = await client.post(`${path}/${action}`, {
        token: other.adminToken,
        body: { organizationSalesRepId: rep.organizationSalesRepId },
      });
      expect(unknown.status).toBe(404);
      expect(foreign.status).toBe(404);
      expect(foreign.body.detail).toBe(unknown.body.detail);
    }
    const list = await client.get(path, { token: acme.adminToken, query: { pageSize: 100 } });
    expect(list.body.find((row: { salesRepId: string }) => row.salesRepId === rep.salesRepId).active).toBe(true);
    const missing = await client.post(`${path}/deactivate`, { token: acme.adminToken, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty("organizationSalesRepId");
    expect(
      (await client.post(`${path}/deactivate`, { body: { organizationSalesRepId: rep.organizationSalesRepId } }))
        .status,
    ).toBe(401);
  });
});

describe("DELETE /api/organizations/salesreps", () => {
  it("removing the only assignment deletes the rep and its identity", async () => {
    const rep = await acme.salesRep();
    const token = await acme.repToken(rep.email);
    const result = await client.delete(path, {
      token: acme.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId },
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ success: true });
    // The identity is gone, so its unexpired token no longer authenticates anyone.
    expect((await client.get("/api/salesreps/customers", { token })).status).toBe(401);
    const signInAgain = await client.post("/api/auth/sign-in", { body: { Email: rep.email, Password: password } });
    expect(signInAgain.status).toBe(401);
    const exists = await client.get("/api/users/exists", { query: { email: rep.email } });
    expect(exists.status).toBe(200);
    expect(Object.values(exists.body)).toEqual([false]);
  });

  it("removing one of two assignments keeps the rep in the other organization", async () => {
    const rep = await acme.salesRep();
    const there = await other.salesRep({ email: rep.email });
    const token = await acme.repToken(rep.email, 2);
    await client.delete(path, { token: acme.adminToken, body: { organizationSalesRepId: rep.organizationSalesRepId } });
    expect((await client.get("/api/salesreps/customers", { token })).status).toBe(403);
    const identity = await signIn(client, rep.email);
    const mine = await client.get("/api/salesreps/organizations", { token: identity });
    expect(
      mine.body.salesRepOrganizations.map((row: { organizationSalesRepId: string }) => row.organizationSalesRepId),
    ).toEqual([there.organizationSalesRepId]);
    const otherToken = await accessToken(client, identity, other.identityOrganizationId);
    expect(claims(otherToken).Roles).toEqual(["SalesRep"]);
  });

  it("keeps the identity of a rep that is a member elsewhere", async () => {
    const person = await kit.organization();
    const rep = await acme.salesRep({ email: person.admin.email });
    await client.delete(path, { token: acme.adminToken, body: { organizationSalesRepId: rep.organizationSalesRepId } });
    const identity = await signIn(client, person.admin.email);
    const mine = await client.get("/api/salesreps/organizations", { token: identity });
    expect(mine.body).toEqual({ salesRepOrganizations: [] });
    expect((await client.get("/api/organization", { token: person.adminToken })).status).toBe(200);
  });

  it("answers 404 alike for an unknown id and another organization's rep, which stays", async () => {
    const rep = await acme.salesRep();
    const unknown = await client.delete(path, { token: acme.adminToken, body: { organizationSalesRepId: "nope" } });
    const foreign = await client.delete(path, {
      token: other.adminToken,
      body: { organizationSalesRepId: rep.organizationSalesRepId },
    });
    expect(unknown.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(unknown.body.detail);
    const list = await client.get(path, { token: acme.adminToken, query: { pageSize: 100 } });
    expect(list.body.map((row: { salesRepId: string }) => row.salesRepId)).toContain(rep.salesRepId);
    expect((await client.delete(path, { body: { organizationSalesRepId: rep.organizationSalesRepId } })).status).toBe(
      401,
    );
  });
});

describe("GET /api/salesreps/organizations", () => {
  it("lists the rep's assignments for its identity token and its SalesRep access token", async () => {
    const rep = await acme.salesRep({ firstName: "Jane", lastName: "Smith", phoneNumber: "555-555-5555" });
    const there = await other.salesRep({ email: rep.email });
    const token = await acme.repToken(rep.email, 2);
    const identity = await signIn(client, rep.email);
    for (const bearer of [identity, token]) {
      const result = await client.get("/api/salesreps/organizations", { token: bearer });
      expect(result.status).toBe(200);
      expect(Object.keys(result.body)).toEqual(["salesRepOrganizations"]);
      expect(result.body.salesRepOrganizations).toEqual([
        {
          organizationId: acme.organizationId,
          organizationName: acme.name,
          identityOrganizationId: acme.identityOrganizationId,
          identityProviderUserId: claims(token).UserId,
          organizationSalesRepId: rep.organizationSalesRepId,
          salesRepId: rep.salesRepId,
          repNumber: rep.repNumber,
          firstName: "Jane",
          lastName: "Smith",
          email: rep.email,
          phoneNumber: "555-555-5555",
          active: true,
        },
        expect.objectContaining({
          organizationId: other.organizationId,
          organizationSalesRepId: there.organizationSalesRepId,
          active: true,
        }),
      ]);
    }
  });

  it("answers an empty list to a user who is no rep, 403 to an access token without SalesRep, 401 without a token", async () => {
    const identity = await signIn(client, acme.admin.email);
    expect((await client.get("/api/salesreps/organizations", { token: identity })).body).toEqual({
      salesRepOrganizations: [],
    });
    expect((await client.get("/api/salesreps/organizations", { token: acme.adminToken })).status).toBe(403);
    expect((await client.get("/api/salesreps/organizations")).status).toBe(401);
    expect((await client.get("/api/salesreps/organizations", { token: kit.tokens.tampered(identity) })).status).toBe(
      401,
    );
  });
});

describe("a rep's customers", () => {
  let org: Organization;
  let rep: AddedRep;
  let repToken: string;
  let mine: { customerNumber: string };
  let notMine: { customerNumber: string };

  beforeAll(async () => {
    org = await kit.organization();
    const tier = await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: "Gold", CurrencyCode: "EUR" },
    });
    expect(tier.status).toBe(200);
    rep = await org.salesRep({ repNumber: "R-1" });
    mine = await org.customer({ repNumber: "R-1", pricing: "Gold", companyName: "Mine Co" });
    notMine = await org.customer({ repNumber: "R-2" });
    await other.customer({ repNumber: "R-1" });
    repToken = await org.repToken(rep.email);
  });

  it("lists the customers carrying the rep's number, in the customers shape", async () => {
    const result = await client.get("/api/salesreps/customers", { token: repToken });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ totalRecords: 1, currentPage: 1, totalPages: 1 });
    expect(result.body.data).toEqual([
      expect.objectContaining({
        customerNumber: mine.customerNumber,
        companyName: "Mine Co",
        repNumber: "R-1",
        pricing: "Gold",
        currencyCode: "EUR",
      }),
    ]);
    const bad = await client.get("/api/salesreps/customers", { token: repToken, query: { sortOn: "Nope" } });
    expect(bad.status).toBe(400);
    const filtered = await client.get("/api/salesreps/customers", {
      token: repToken,
      query: { "Filters[0].Field": "companyName", "Filters[0].Operator": "contains", "Filters[0].Value": "nothing" },
    });
    expect(filtered.body.data).toEqual([]);
  });

  it("lets the rep read its customer and no other, with the same 404 as an unknown one", async () => {
    expect((await client.get(`/api/customers/${mine.customerNumber}`, { token: repToken })).status).toBe(200);
    expect((await client.get(`/api/customers/${notMine.customerNumber}`, { token: repToken })).status).toBe(404);
    expect((await client.get(`/api/customers/${unique("none")}`, { token: repToken })).status).toBe(404);
  });

  it("lets the rep act for its customer in /api/auth/access, and refuses any other with 403", async () => {
    const identity = await signIn(client, rep.email);
    const acting = await accessToken(client, identity, org.identityOrganizationId, mine.customerNumber);
    expect(claims(acting)).toMatchObject({
      Roles: ["SalesRep"],
      CustomerNumber: mine.customerNumber,
      PriceTier: "Gold",
      CurrencyCode: "EUR",
    });
    const refused = await client.post("/api/auth/access", {
      token: identity,
      body: { IdentityOrganizationId: org.identityOrganizationId, CustomerNumber: notMine.customerNumber },
    });
    expect(refused.status).toBe(403);
    // An admin without the SalesRep role names no customer either.
    const admin = await client.post("/api/auth/access", {
      token: await signIn(client, org.admin.email),
      body: { IdentityOrganizationId: org.identityOrganizationId, CustomerNumber: mine.customerNumber },
    });
    expect(admin.status).toBe(403);
  });

  it("follows the rep number when it changes", async () => {
    const other2 = await org.salesRep({ repNumber: "R-9" });
    const token = await org.repToken(other2.email);
    expect((await client.get("/api/salesreps/customers", { token })).body.totalRecords).toBe(0);
    await client.patch(path, {
      token: org.adminToken,
      body: { organizationSalesRepId: other2.organizationSalesRepId, repNumber: "R-2" },
    });
    const after = await client.get("/api/salesreps/customers", { token });
    expect(after.body.data.map((c: { customerNumber: string }) => c.customerNumber)).toEqual([notMine.customerNumber]);
  });

  it("refuses the list to an admin without the SalesRep role and to anonymous callers", async () => {
    expect((await client.get("/api/salesreps/customers", { token: org.adminToken })).status).toBe(403);
    expect((await client.get("/api/salesreps/customers")).status).toBe(401);
  });
});

describe("GraphQL", () => {
  it("answers the same reps with nested relations", async () => {
    const rep = await acme.salesRep({ firstName: "Graph" });
    const result = await client.graphql(
      `query($sortOn: SalesRepSortField) { organizationSalesReps(sortOn: $sortOn, pageSize: 100) {
        totalCount items { id repNumber firstName organizationName identityOrganizationId salesRep { id status verifiedEmail createdBy { name type } } }
      } }`,
      { sortOn: "FIRST_NAME" },
      acme.adminToken,
    );
    expect(result.errors).toBeUndefined();
    const item = result.data.organizationSalesReps.items.find(
      (row: { id: string }) => row.id === rep.organizationSalesRepId,
    );
    expect(item).toMatchObject({
      organizationName: acme.name,
      identityOrganizationId: acme.identityOrganizationId,
      salesRep: {
        id: rep.salesRepId,
        status: "INVITED",
        verifiedEmail: false,
        createdBy: { name: "Ada Admin", type: "user" },
      },
    });
  });

  it("gives denials and bad input a code", async () => {
    expect((await client.graphql(`{ organizationSalesReps { totalCount } }`)).codes).toEqual(["UNAUTHENTICATED"]);
    expect(
      (
        await client.graphql(
          `mutation { removeSalesRep(organizationSalesRepId: "nope") { removedOrganizationSalesRepId } }`,
          {},
          acme.adminToken,
        )
      ).codes,
    ).toEqual(["NOT_FOUND"]);
    expect(
      (
        await client.graphql(
          `query($sortOn: SalesRepSortField) { organizationSalesReps(sortOn: $sortOn) { totalCount } }`,
          { sortOn: "x" },
          acme.adminToken,
        )
      ).codes,
    ).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("SQL statements per list", () => {
  it("costs the same for 5 and 100 reps with every nested relation", async () => {
    let statements = 0;
    const counted = await testKit({ mailWorker: false, queryLogger: { logQuery: () => void statements++ } });
    try {
      const http = counted.client;
      const small = await counted.organization();
      const large = await counted.organization();
      const seed = async (org: Organization, n: number) => {
        const customer = await org.customer({ repNumber: "none" });
        for (let i = 0; i < n; i++) {
          const result = await http.post("/api/salesRep", {
            token: org.adminToken,
            body: {
              firstName: `Rep${i}`,
              email: uniqueEmail("bulk"),
              salesRepCompanies: [{ company: org.organizationId, customers: [customer.id] }],
              metaFields: [{ code: "territory", value: `T${i}` }],
            },
          });
          expect(result.status).toBe(200);
        }
      };
      await seed(small, 5);
      await seed(large, 100);

      const query = `{ organizationSalesReps(pageSize: 100) { totalCount items {
        id repNumber active firstName lastName email phoneNumber identityProvider identityProviderUserId
        organizationName identityOrganizationId customerIds
        salesRep { id status verifiedEmail email createdBy { name type } metaFields { id code value }
          assignments { id organizationId organizationName customerIds } }
      } } }`;
      const cost = async (org: Organization) => {
        statements = 0;
        const result = await http.graphql(query, {}, org.adminToken);
        expect(result.errors).toBeUndefined();
        return { statements, items: result.data.organizationSalesReps.items.length as number };
      };
      const five = await cost(small);
      const hundred = await cost(large);
      expect(five.items).toBe(5);
      expect(hundred.items).toBe(100);
      expect(hundred.statements).toBe(five.statements);
      expect(five.statements).toBeLessThanOrEqual(12);
    } finally {
      await counted.close();
    }
    // Seeding 105 reps over HTTP, one at a time as an integrator would.
  }, 120_000);
});

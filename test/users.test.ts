import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userCustomers } from "../src/features/customer-associations/customer-associations.tables.js";
import { mailOutbox } from "../src/mail/outbox.tables.js";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import type { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { claims, password, signIn, uniqueEmail } from "./support/seed.js";

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

function newUser(overrides: Record<string, unknown> = {}) {
  return {
    FirstName: "Jane",
    LastName: "Smith",
    Email: uniqueEmail("jane"),
    Password: password,
    PhoneNumber: "561-555-1212",
    ...overrides,
  };
}

async function createUser(org: Organization, body: Record<string, unknown>) {
  const result = await client.post("/api/users", { token: org.adminToken, body });
  if (result.status !== 200) throw new Error(`create user failed: ${result.status} ${result.text}`);
  return result.body as { Id: string; Email: string };
}

/** A Customer of the organization: a user it created, associated with a customer record. */
async function seedCustomerUser(org: Organization, overrides: Record<string, unknown> = {}) {
  const user = await createUser(org, newUser(overrides));
  const { customerNumber } = await org.customer({ companyName: "Customer Co" });
  await org.associate(user.Id, customerNumber);
  const token = await org.tokenFor(user.Email);
  return { ...user, token };
}

const outboxFor = (address: string) =>
  kit.server.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, address));

describe("POST /api/users", () => {
  it("creates the account and its membership, answering the documented fields and the new Id", async () => {
    const body = newUser();
    const result = await client.post("/api/users", { token: acme.adminToken, body });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      Id: expect.stringMatching(/^[0-9a-f]{24}$/),
      FirstName: "Jane",
      LastName: "Smith",
      Email: body.Email,
      PhoneNumber: "561-555-1212",
    });

    const identity = await signIn(client, body.Email);
    expect(claims(identity).UserId).toBe(result.body.Id);
    const organizations = await client.get("/api/users/organizations", { token: identity });
    expect(organizations.body.Organizations.map((o: { OrganizationId: string }) => o.OrganizationId)).toEqual([
      acme.organizationId,
    ]);

    // A user who chose no password is not invited to set one; the e-mail only says where to sign in.
    const [mail] = await postmark.waitFor(body.Email);
    expect(mail!.Subject).toContain(acme.name);
    expect(mail!.TextBody).toContain(`Sign in: ${kit.server.config.SIGN_IN_URL}`);
    expect(mail!.TextBody).not.toContain("token=");
  });

  it("invites a new user without a password: the e-mailed link's token sets it, once", async () => {
    const body = newUser({ Password: undefined, PhoneNumber: undefined });
    const result = await client.post("/api/users", { token: acme.adminToken, body });
    expect(result.status).toBe(200);
    expect(result.body.PhoneNumber).toBeNull();
    expect((await client.post("/api/auth/sign-in", { body: { Email: body.Email, Password: password } })).status).toBe(
      401,
    );

    const [mail] = await postmark.waitFor(body.Email);
    expect(mail).toMatchObject({ To: body.Email, Tag: "user-invitation" });
    expect(mail!.Subject).toContain(acme.name);
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail!.TextBody)?.[1];
    expect(token).toBeDefined();

    const chosen = "Chosen-Password-42";
    const accepted = await client.post("/api/auth/invitations/accept", { body: { Token: token, Password: chosen } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ Success: true, Email: body.Email });
    const again = await client.post("/api/auth/invitations/accept", {
      body: { Token: token, Password: "Another-Password-1" },
    });
    expect(again.status).toBe(400);

    const identity = await signIn(client, body.Email, chosen);
    expect(claims(identity).UserId).toBe(result.body.Id);
  });

  it("reuses a registered e-mail in any case: the old password keeps working, the given one does not", async () => {
    const existing = await createUser(other, newUser());
    const result = await client.post("/api/users", {
      token: acme.adminToken,
      body: newUser({ Email: existing.Email.toUpperCase(), FirstName: "Someone", Password: "A-Different-Password-9" }),
    });
    expect(result.status).toBe(200);
    // Another organization's person: the answer shows what the caller sent, not what is stored.
    expect(result.body).toMatchObject({ Id: existing.Id, Email: existing.Email.toUpperCase(), FirstName: "Someone" });

    const wrong = await client.post("/api/auth/sign-in", {
      body: { Email: existing.Email, Password: "A-Different-Password-9" },
    });
    expect(wrong.status).toBe(401);
    const identity = await signIn(client, existing.Email, password);
    const organizations = await client.get("/api/users/organizations", { token: identity });
    expect(organizations.body.Organizations.map((o: { OrganizationId: string }) => o.OrganizationId).sort()).toEqual(
      [acme.organizationId, other.organizationId].sort(),
    );
  });

  it("answers 200 for an existing member and changes nothing, sending no second e-mail", async () => {
    const org = await kit.organization();
    const first = await createUser(org, newUser());
    await postmark.waitFor(first.Email);
    const before = await client.get("/api/organizations/users", { token: org.adminToken });

    const again = await client.post("/api/users", {
      token: org.adminToken,
      body: newUser({ Email: first.Email, FirstName: "Changed", LastName: "Name" }),
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    expect(await client.get("/api/organizations/users", { token: org.adminToken })).toMatchObject({
      body: before.body,
    });
    expect(await outboxFor(first.Email)).toHaveLength(1);
    // An admin added as a user keeps its admin role.
    const admin = await client.post("/api/users", { token: org.adminToken, body: newUser({ Email: org.admin.email }) });
    expect(admin.status).toBe(200);
    expect((await client.get("/api/organizations/users/admins", { token: org.adminToken })).body).toHaveLength(1);
  });

  it("creates one account when the same new address is added twice at once", async () => {
    const body = newUser();
    const [a, b] = await Promise.all([
      client.post("/api/users", { token: acme.adminToken, body }),
      client.post("/api/users", { token: other.adminToken, body }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.Id).toBe(b.body.Id);
  });

  it("names every missing or invalid field with 400", async () => {
    const missing = await client.post("/api/users", { token: acme.adminToken, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    expect(Object.keys(missing.body.errors).sort()).toEqual(["Email", "FirstName", "LastName"]);

    const invalid = await client.post("/api/users", {
      token: acme.adminToken,
      body: newUser({ FirstName: "x".repeat(101), LastName: " ", Email: "not-an-email", PhoneNumber: "call me" }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual({
      FirstName: "must be at most 100 characters",
      LastName: "is required",
      Email: "must be a valid e-mail address",
      PhoneNumber: expect.any(String),
    });

    const long = await client.post("/api/users", {
      token: acme.adminToken,
      body: newUser({ Email: `${"a".repeat(250)}@example.com` }),
    });
    expect(long.status).toBe(400);
    expect(long.body.errors).toHaveProperty("Email");

    const weak = await client.post("/api/users", { token: acme.adminToken, body: newUser({ Password: "short" }) });
    expect(weak.status).toBe(400);
    expect(weak.body.detail).toBe("Password must be at least 8 characters");

    const wrongType = await client.post("/api/users", { token: acme.adminToken, body: newUser({ FirstName: 42 }) });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toHaveProperty("FirstName");
  });

  it("refuses a weak password for a registered address as for a new one, so the answer tells nothing", async () => {
    const existing = await createUser(other, newUser());
    const known = await client.post("/api/users", {
      token: acme.adminToken,
      body: newUser({ Email: existing.Email, Password: "short" }),
    });
    const unknown = await client.post("/api/users", { token: acme.adminToken, body: newUser({ Password: "short" }) });
    expect([known.status, unknown.status]).toEqual([400, 400]);
    expect(known.body.detail).toBe(unknown.body.detail);
  });

  it("answers 401 without a token or with a forged one, 403 for an identity or non-admin token", async () => {
    expect((await client.post("/api/users", { body: newUser() })).status).toBe(401);
    expect(
      (await client.post("/api/users", { token: kit.tokens.tampered(acme.adminToken), body: newUser() })).status,
    ).toBe(401);
    const identity = await signIn(client, acme.admin.email);
    expect((await client.post("/api/users", { token: identity, body: newUser() })).status).toBe(403);
    const customer = await seedCustomerUser(acme);
    const refused = await client.post("/api/users", { token: customer.token, body: newUser() });
    expect(refused.status).toBe(403);
    expect(refused.body.status).toBe(403);
  });
});

describe("GET /api/users/profile", () => {
  it("answers the caller's profile in the documented fields", async () => {
    const customer = await seedCustomerUser(acme, {
      FirstName: "Carol",
      LastName: "Customer",
      PhoneNumber: "555 0100",
    });
    const result = await client.get("/api/users/profile", { token: customer.token });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      FirstName: "Carol",
      LastName: "Customer",
      Email: customer.Email,
      PhoneNumber: "555 0100",
    });
  });

  it("answers 401 without a token or with a forged one, 403 without the Customer role", async () => {
    expect((await client.get("/api/users/profile")).status).toBe(401);
    const customer = await seedCustomerUser(acme);
    expect((await client.get("/api/users/profile", { token: kit.tokens.tampered(customer.token) })).status).toBe(401);
    expect((await client.get("/api/users/profile", { token: acme.adminToken })).status).toBe(403);
    expect((await client.get("/api/users/profile", { token: await signIn(client, customer.Email) })).status).toBe(403);
  });

  it("stops answering once the customer association is gone", async () => {
    const customer = await seedCustomerUser(acme);
    await kit.server.database.db.delete(userCustomers).where(eq(userCustomers.userId, customer.Id));
    expect((await client.get("/api/users/profile", { token: customer.token })).status).toBe(403);
  });
});

describe("GET /api/users/exists", () => {
  it("is public and answers UserExists, comparing e-mail addresses in any case", async () => {
    const yes = await client.get("/api/users/exists", { query: { Email: ` ${acme.admin.email.toUpperCase()} ` } });
    expect(yes.status).toBe(200);
    expect(yes.body).toEqual({ UserExists: true });
    const no = await client.get("/api/users/exists", { query: { email: uniqueEmail("nobody") } });
    expect(no.body).toEqual({ UserExists: false });
  });

  it("answers 400 when Email is missing or not an e-mail address", async () => {
    const missing = await client.get("/api/users/exists");
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual({ Email: "is required" });
    const invalid = await client.get("/api/users/exists", { query: { Email: "nope" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual({ Email: "must be a valid e-mail address" });
  });
});

describe("GET /api/users/organizations", () => {
  it("lists the caller's memberships with an identity token, in the documented fields", async () => {
    const result = await client.get("/api/users/organizations", { token: await signIn(client, acme.admin.email) });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      Organizations: [
        {
          OrganizationId: acme.organizationId,
          Name: acme.name,
          Slug: expect.any(String),
          IdentityOrganizationId: acme.identityOrganizationId,
        },
      ],
    });
  });

  it("accepts an Admin access token and lists every membership, not only the token's organization", async () => {
    const org = await kit.organization();
    await createUser(other, newUser({ Email: org.admin.email }));
    const result = await client.get("/api/users/organizations", { token: org.adminToken });
    expect(result.status).toBe(200);
    expect(result.body.Organizations.map((o: { Name: string }) => o.Name).sort()).toEqual(
      [org.name, other.name].sort(),
    );
  });

  it("answers 401 without a token or with a forged one, 403 for a non-admin access token", async () => {
    expect((await client.get("/api/users/organizations")).status).toBe(401);
    expect((await client.get("/api/users/organizations", { token: kit.tokens.tampered(acme.adminToken) })).status).toBe(
      401,
    );
    const customer = await seedCustomerUser(acme);
    expect((await client.get("/api/users/organizations", { token: customer.token })).status).toBe(403);
  });
});

describe("GET /api/organizations/users", () => {
  let org: Organization;
  let customer: Awaited<ReturnType<typeof seedCustomerUser>>;
  let plain: { Id: string; Email: string };

  beforeAll(async () => {
    org = await kit.organization();
    customer = await seedCustomerUser(org, { FirstName: "Bob", LastName: "Zed", Email: `b-${uniqueEmail()}` });
    plain = await createUser(org, newUser({ FirstName: "Cid", LastName: "Young", Email: `c-${uniqueEmail()}` }));
  });

  it("answers a page of members in the documented shape, sorted by Email by default", async () => {
    const result = await client.get("/api/organizations/users", { token: org.adminToken });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      Data: [
        {
          Id: org.admin.userId,
          FirstName: "Ada",
          LastName: "Admin",
          Email: org.admin.email,
          Roles: ["admin"],
          Pending: false,
        },
        {
          Id: customer.Id,
          FirstName: "Bob",
          LastName: "Zed",
          Email: customer.Email,
          Roles: ["customer"],
          Pending: false,
        },
        { Id: plain.Id, FirstName: "Cid", LastName: "Young", Email: plain.Email, Roles: [], Pending: false },
      ],
      TotalCount: 3,
      PageNumber: 1,
      PageSize: 25,
    });
  });

  it("pages and sorts on FirstName or LastName, in any case", async () => {
    const page = await client.get("/api/organizations/users", {
      token: org.adminToken,
      query: { PageNumber: 2, PageSize: 2, SortOn: "firstname", SortDirection: "DESC" },
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ TotalCount: 3, PageNumber: 2, PageSize: 2 });
    expect(page.body.Data.map((u: { FirstName: string }) => u.FirstName)).toEqual(["Ada"]);
    const byLast = await client.get("/api/organizations/users", {
      token: org.adminToken,
      query: { sortOn: "LastName" },
    });
    expect(byLast.body.Data.map((u: { LastName: string }) => u.LastName)).toEqual(["Admin", "Young", "Zed"]);
  });

  it("answers 400 naming a bad paging or sorting parameter", async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ SortOn: "Phone" }, "SortOn"],
      [{ SortDirection: "up" }, "SortDirection"],
      [{ PageSize: 101 }, "PageSize"],
      [{ PageNumber: 0 }, "PageNumber"],
      [{ PageNumber: "two" }, "PageNumber"],
    ];
    for (const [query, field] of cases) {
      const result = await client.get("/api/organizations/users", { token: org.adminToken, query });
      expect(result.status, field).toBe(400);
      expect(Object.keys(result.body.errors)).toEqual([field]);
    }
  });

  it("shows another organization's admin none of these members", async () => {
    const result = await client.get("/api/organizations/users", { token: other.adminToken });
    const ids = result.body.Data.map((u: { Id: string }) => u.Id);
    expect(ids).not.toContain(customer.Id);
    expect(ids).not.toContain(plain.Id);
    expect(ids).not.toContain(org.admin.userId);
  });

  it("answers 401 without a token or with a forged one, 403 for a non-admin", async () => {
    expect((await client.get("/api/organizations/users")).status).toBe(401);
    expect((await client.get("/api/organizations/users", { token: kit.tokens.tampered(org.adminToken) })).status).toBe(
      401,
    );
    expect((await client.get("/api/organizations/users", { token: customer.token })).status).toBe(403);
    expect(
      (await client.get("/api/organizations/users", { token: await signIn(client, org.admin.email) })).status,
    ).toBe(403);
  });
});

describe("GraphQL and REST give the same answers", () => {
  it("organizationUsers", async () => {
    const rest = await client.get("/api/organizations/users", {
      token: acme.adminToken,
      query: { PageSize: 5, SortOn: "FirstName" },
    });
    const gql = await client.graphql(
      `query ($size: Int) { organizationUsers(pageSize: $size, sortOn: FIRST_NAME) {
        items { id firstName lastName email roles pending } totalCount pageNumber pageSize totalPages } }`,
      { size: 5 },
      acme.adminToken,
    );
    expect(gql.errors).toBeUndefined();
    const page = gql.data.organizationUsers;
    expect(page.totalPages).toBe(Math.ceil(rest.body.TotalCount / 5));
    expect({ TotalCount: page.totalCount, PageNumber: page.pageNumber, PageSize: page.pageSize }).toEqual({
      TotalCount: rest.body.TotalCount,
      PageNumber: rest.body.PageNumber,
      PageSize: rest.body.PageSize,
    });
    expect(
      page.items.map((u: Record<string, unknown>) => ({
        Id: u.id,
        FirstName: u.firstName,
        LastName: u.lastName,
        Email: u.email,
        Roles: (u.roles as string[]).map((role) => role.toLowerCase()),
        Pending: u.pending,
      })),
    ).toEqual(rest.body.Data);
  });

  it("createUser, with the same errors", async () => {
    const body = newUser();
    const gql = await client.graphql(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { id firstName lastName email phoneNumber } }`,
      {
        input: {
          firstName: body.FirstName,
          lastName: body.LastName,
          email: body.Email,
          password: body.Password,
          phoneNumber: body.PhoneNumber,
        },
      },
      acme.adminToken,
    );
    expect(gql.errors).toBeUndefined();
    // The same address again is an existing member: REST answers the very same account.
    const rest = await client.post("/api/users", { token: acme.adminToken, body });
    const created = gql.data.createUser;
    expect(rest.body).toEqual({
      Id: created.id,
      FirstName: created.firstName,
      LastName: created.lastName,
      Email: created.email,
      PhoneNumber: created.phoneNumber,
    });

    const invalid = await client.graphql(
      `mutation { createUser(input: { firstName: "A", lastName: "B", email: "bad" }) { id } }`,
      {},
      acme.adminToken,
    );
    expect(invalid.codes).toEqual(["BAD_USER_INPUT"]);
    expect(invalid.errors![0]!.extensions).toMatchObject({ errors: { email: "must be a valid e-mail address" } });
    const denied = await client.graphql(
      `mutation { createUser(input: { firstName: "A", lastName: "B", email: "a@b.co" }) { id } }`,
    );
    expect(denied.codes).toEqual(["UNAUTHENTICATED"]);
  });

  it("userExists and myOrganizations", async () => {
    const identity = await signIn(client, other.admin.email);
    const gql = await client.graphql(
      `query ($email: String!) { userExists(email: $email) myOrganizations { id name slug identityOrganizationId } }`,
      { email: other.admin.email },
      identity,
    );
    expect(gql.errors).toBeUndefined();
    expect(gql.data.userExists).toBe(true);
    const rest = await client.get("/api/users/organizations", { token: identity });
    expect(
      gql.data.myOrganizations.map((o: Record<string, string>) => ({
        OrganizationId: o.id,
        Name: o.name,
        Slug: o.slug,
        IdentityOrganizationId: o.identityOrganizationId,
      })),
    ).toEqual(rest.body.Organizations);
  });
});

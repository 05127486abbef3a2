import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import type { PostmarkStandIn } from "./support/postmark-stand-in.js";
import { signIn, unique, uniqueEmail } from "./support/seed.js";

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

const path = "/api/salesRep";

/** Sends the token the way the document says: in the accessToken header. */
function create(token: string | undefined, body: unknown, headerValue = (t: string) => t) {
  return client.post(path, { body, headers: token ? { accessToken: headerValue(token) } : {} });
}

const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("POST /api/salesRep", () => {
  it("creates the rep and answers the documented envelope", async () => {
    const [c1, c2] = [await acme.customer(), await acme.customer()];
    const email = uniqueEmail("john.doe");
    const result = await create(acme.adminToken, {
      firstName: "John",
      lastName: "Doe",
      email,
      phoneNumber: "+1234567890",
      salesRepCompanies: [
        { company: acme.organizationId, customers: [c1.id, c2.customerNumber], accessType: "customer" },
      ],
      metaFields: [
        { code: "territory", value: "Northeast" },
        { code: "employee_id", value: { number: 12345, tags: ["a"] } },
      ],
    });
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual(["success", "message", "data"]);
    expect(result.body.success).toBe(true);
    expect(result.body.message).toBe("SalesRep created successfully");
    const data = result.body.data;
    expect(Object.keys(data).sort()).toEqual([
      "createdAt",
      "createdBy",
      "email",
      "firstName",
      "id",
      "lastName",
      "metaFields",
      "phoneNumber",
      "salesRepCompanies",
      "status",
      "updatedAt",
      "verifiedEmail",
    ]);
    expect(data).toMatchObject({
      email,
      firstName: "John",
      lastName: "Doe",
      phoneNumber: "+1234567890",
      status: "invited",
      verifiedEmail: false,
      createdBy: { name: "Ada Admin", type: "user" },
    });
    expect(data.createdAt).toMatch(iso);
    expect(data.updatedAt).toMatch(iso);
    expect(data.salesRepCompanies).toEqual([
      {
        id: expect.any(String),
        company: acme.organizationId,
        customers: [c1.id, c2.id].sort(),
        accessType: "customer",
      },
    ]);
    expect(data.metaFields).toEqual([
      { id: expect.any(String), code: "employee_id", value: { number: 12345, tags: ["a"] } },
      { id: expect.any(String), code: "territory", value: "Northeast" },
    ]);

    const [mail] = await postmark.waitFor(email);
    expect(mail!.Subject).toContain(acme.name);
    expect(mail!.TextBody).toMatch(/[?&]token=/);

    // The assignment shows up in the other API, with a generated rep number.
    const list = await client.get("/api/organizations/salesreps", { token: acme.adminToken, query: { pageSize: 100 } });
    const row = list.body.find((r: { salesRepId: string }) => r.salesRepId === data.id);
    expect(row).toMatchObject({ organizationSalesRepId: data.salesRepCompanies[0].id, active: true });
    expect(row.repNumber).toMatch(/^SR-[0-9A-F]{8}$/);
  });

  it("takes the token from a Bearer accessToken header or from Authorization", async () => {
    const body = () => ({
      firstName: "B",
      email: uniqueEmail(),
      salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
    });
    expect((await create(acme.adminToken, body(), (t) => `Bearer ${t}`)).status).toBe(200);
    expect((await client.post(path, { token: acme.adminToken, body: body() })).status).toBe(200);
  });

  it("lets the listed customers, and with accessType all every customer, be the rep's", async () => {
    const listed = await acme.customer({ repNumber: "someone-else" });
    const unlisted = await acme.customer({ repNumber: "someone-else" });
    const email = uniqueEmail("scoped");
    const created = await create(acme.adminToken, {
      firstName: "S",
      email,
      salesRepCompanies: [{ company: acme.organizationId, customers: [listed.customerNumber] }],
    });
    expect(created.body.data.salesRepCompanies[0].accessType).toBe("customer");
    const token = await acme.repToken(email);
    const mine = await client.get("/api/salesreps/customers", { token, query: { pageSize: 100 } });
    const numbers = mine.body.data.map((c: { customerNumber: string }) => c.customerNumber);
    expect(numbers).toContain(listed.customerNumber);
    expect(numbers).not.toContain(unlisted.customerNumber);

    const allEmail = uniqueEmail("all");
    await create(acme.adminToken, {
      firstName: "A",
      email: allEmail,
      salesRepCompanies: [{ company: acme.organizationId, customers: [], accessType: "ALL" }],
    });
    const allToken = await acme.repToken(allEmail);
    const all = await client.get("/api/salesreps/customers", { token: allToken, query: { pageSize: 100 } });
    const allNumbers = all.body.data.map((c: { customerNumber: string }) => c.customerNumber);
    expect(allNumbers).toEqual(expect.arrayContaining([listed.customerNumber, unlisted.customerNumber]));
    expect(all.body.totalRecords).toBeGreaterThanOrEqual(2);
  });

  it("assigns several organizations the caller administers, in one invitation", async () => {
    const second = await kit.organization();
    const made = await client.post("/api/organizations/users/admins", {
      token: second.adminToken,
      body: { Email: acme.admin.email },
    });
    expect(made.status).toBe(200);
    const email = uniqueEmail("two");
    const result = await create(acme.adminToken, {
      firstName: "T",
      email,
      salesRepCompanies: [
        { company: acme.organizationId, customers: [], repNumber: "TWO-1" },
        { company: second.identityOrganizationId, customers: [], accessType: "role" },
      ],
    });
    expect(result.status).toBe(200);
    // Assignments made together are listed in id order, not request order.
    expect(
      result.body.data.salesRepCompanies.map((c: { company: string; accessType: string }) => [c.company, c.accessType]),
    ).toEqual(
      expect.arrayContaining([
        [acme.organizationId, "customer"],
        [second.organizationId, "role"],
      ]),
    );
    expect(result.body.data.salesRepCompanies).toHaveLength(2);
    const mails = await postmark.waitFor(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.TextBody).toContain(acme.name);
    expect(mails[0]!.TextBody).toContain(second.name);

    // The second organization's own admin sees only its own assignment of the rep.
    const seen = await client.graphql(
      `{ organizationSalesReps(pageSize: 100) { items { salesRep { id assignments { organizationId } } } } }`,
      {},
      second.adminToken,
    );
    const rep = seen.data.organizationSalesReps.items.find(
      (i: { salesRep: { id: string } }) => i.salesRep.id === result.body.data.id,
    );
    expect(rep.salesRep.assignments).toEqual([{ organizationId: second.organizationId }]);
  });

  it("reuses an existing rep: active once it has a password, verified e-mail, meta fields upserted by code", async () => {
    const second = await kit.organization();
    await client.post("/api/organizations/users/admins", {
      token: second.adminToken,
      body: { Email: acme.admin.email },
    });
    const email = uniqueEmail("again");
    const first = await create(acme.adminToken, {
      firstName: "R",
      email,
      salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
      metaFields: [
        { code: "territory", value: "North" },
        { code: "level", value: 1 },
      ],
    });
    await acme.repToken(email);
    const again = await create(acme.adminToken, {
      firstName: "Ignored",
      email: email.toUpperCase(),
      salesRepCompanies: [{ company: second.organizationId, customers: [] }],
      metaFields: [{ code: "territory", value: "South" }],
    });
    expect(again.status).toBe(200);
    const data = again.body.data;
    expect(data).toMatchObject({ id: first.body.data.id, firstName: "R", status: "active", verifiedEmail: true });
    expect(data.salesRepCompanies.map((c: { company: string }) => c.company)).toEqual([
      acme.organizationId,
      second.organizationId,
    ]);
    const territory = first.body.data.metaFields.find((f: { code: string }) => f.code === "territory");
    expect(data.metaFields).toEqual([
      { id: expect.any(String), code: "level", value: 1 },
      { id: territory.id, code: "territory", value: "South" },
    ]);
    expect(Date.parse(data.updatedAt)).toBeGreaterThanOrEqual(Date.parse(data.createdAt));
    // A user with a password gets a sign-in link.
    const mails = await postmark.waitFor(email, 2);
    expect(mails[1]!.TextBody).not.toMatch(/token=/);
  });

  it("creates an inactive rep when asked, without access", async () => {
    const email = uniqueEmail("inactive");
    const result = await create(acme.adminToken, {
      firstName: "I",
      email,
      status: "inactive",
      salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
    });
    expect(result.status).toBe(200);
    expect(result.body.data.status).toBe("inactive");
    const list = await client.get("/api/organizations/salesreps", { token: acme.adminToken, query: { pageSize: 100 } });
    expect(list.body.find((r: { email: string }) => r.email === email).active).toBe(false);
  });

  it("answers bad input with 400 in the envelope", async () => {
    const customer = await acme.customer();
    const foreignCustomer = await other.customer();
    const taken = await acme.salesRep();
    const cases: [unknown, string][] = [
      [{ email: uniqueEmail(), salesRepCompanies: [{ company: acme.organizationId, customers: [] }] }, "firstName"],
      [
        { firstName: "A", email: "nope", salesRepCompanies: [{ company: acme.organizationId, customers: [] }] },
        "email",
      ],
      [{ firstName: "A", email: uniqueEmail() }, "salesRepCompanies"],
      [{ firstName: "A", email: uniqueEmail(), salesRepCompanies: [] }, "salesRepCompanies"],
      [
        { firstName: "A", email: uniqueEmail(), salesRepCompanies: [{ company: acme.organizationId }] },
        "salesRepCompanies[0].customers",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [], accessType: "everything" }],
        },
        "salesRepCompanies[0].accessType",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [customer.id, "missing"] }],
        },
        "salesRepCompanies[0].customers[1]",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [foreignCustomer.id] }],
        },
        "salesRepCompanies[0].customers[0]",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [foreignCustomer.customerNumber] }],
        },
        "salesRepCompanies[0].customers[0]",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [
            { company: acme.organizationId, customers: [] },
            { company: acme.identityOrganizationId, customers: [] },
          ],
        },
        "salesRepCompanies[1].company",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [], repNumber: taken.repNumber }],
        },
        "salesRepCompanies[0].repNumber",
      ],
      [
        { firstName: "A", email: taken.email, salesRepCompanies: [{ company: acme.organizationId, customers: [] }] },
        "salesRepCompanies[0].company",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
          status: "busy",
        },
        "status",
      ],
      [
        {
          firstName: "A",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
          metaFields: [
            { code: "x", value: 1 },
            { code: "x", value: 2 },
          ],
        },
        "metaFields[1].code",
      ],
    ];
    for (const [body, field] of cases) {
      const result = await create(acme.adminToken, body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.success).toBe(false);
      expect(typeof result.body.message).toBe("string");
      expect(result.body.errors, JSON.stringify(result.body)).toHaveProperty([field]);
    }
    const malformed = await client.post(path, { headers: { accessToken: acme.adminToken }, rawBody: "{ nope" });
    expect(malformed.status).toBe(400);
  });

  it("answers 401 without or with a forged token, in the envelope", async () => {
    const body = {
      firstName: "A",
      email: uniqueEmail(),
      salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
    };
    const none = await create(undefined, body);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ success: false, message: expect.any(String) });
    expect((await create(kit.tokens.tampered(acme.adminToken), body)).status).toBe(401);
  });

  it("answers 403 to non-admins and for an organization the caller does not administer", async () => {
    const body = (company: string, customers: string[] = []) => ({
      firstName: "A",
      email: uniqueEmail(),
      salesRepCompanies: [{ company, customers }],
    });
    const customerToken = (await acme.customerUser()).token;
    expect((await create(customerToken, body(acme.organizationId))).status).toBe(403);
    const identity = await signIn(client, acme.admin.email);
    expect((await create(identity, body(acme.organizationId))).status).toBe(403);
    const rep = await acme.salesRep();
    const repToken = await acme.repToken(rep.email);
    expect((await create(repToken, body(acme.organizationId))).status).toBe(403);

    // Another tenant's admin can name neither this organization nor, under its own, this one's customers.
    const acmeCustomer = await acme.customer();
    const foreign = await create(other.adminToken, body(acme.organizationId, [acmeCustomer.id]));
    expect(foreign.status).toBe(403);
    expect(foreign.body.success).toBe(false);
    const unknown = await create(other.adminToken, body(unique("org")));
    expect(unknown.status).toBe(403);
    expect(unknown.body.message).toMatch(/administer/);
    const smuggled = await create(other.adminToken, body(other.organizationId, [acmeCustomer.id]));
    expect(smuggled.status).toBe(400);
    const mixed = await create(other.adminToken, {
      ...body(other.organizationId),
      salesRepCompanies: [
        { company: other.organizationId, customers: [] },
        { company: acme.organizationId, customers: [] },
      ],
    });
    expect(mixed.status).toBe(403);
    const list = await client.get("/api/organizations/salesreps", { token: acme.adminToken, query: { pageSize: 100 } });
    expect(list.body.map((r: { email: string }) => r.email)).not.toContain(mixed.body.data?.email);
  });

  it("is the createSalesRep mutation in GraphQL", async () => {
    const result = await client.graphql(
      `mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { id status identityProvider assignments { accessType repNumber } } }`,
      {
        input: {
          firstName: "G",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [], repNumber: unique("G") }],
        },
      },
      acme.adminToken,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.createSalesRep).toMatchObject({
      status: "INVITED",
      identityProvider: "builtin",
      assignments: [{ accessType: "CUSTOMER" }],
    });
    const denied = await client.graphql(
      `mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { id } }`,
      {
        input: {
          firstName: "G",
          email: uniqueEmail(),
          salesRepCompanies: [{ company: acme.organizationId, customers: [] }],
        },
      },
      other.adminToken,
    );
    expect(denied.codes).toEqual(["FORBIDDEN"]);
  });
});

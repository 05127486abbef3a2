import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, HttpResult } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { password, unique, uniqueEmail } from "./support/seed.js";
import { rows } from "./support/tenant-rows.js";

/**
 * Twenty requests for one unique thing at the same instant: one winner and 400 for the rest (or,
 * where the contract re-uses, the same answer for all), never a 5xx, never a duplicate row.
 */
const racers = 20;
let kit: TestKit;
let client: Client;
let org: Organization;
let races = 0;

beforeAll(async () => {
  kit = await testKit({ mailWorker: false });
  client = kit.client;
  org = await kit.organization();
});
afterAll(async () => {
  await kit?.close();
  console.log(`races: ${races} cases of ${racers} parallel requests`);
});

async function race(send: (racer: number) => Promise<HttpResult>) {
  races++;
  const results = await Promise.all(Array.from({ length: racers }, (_, racer) => send(racer)));
  for (const result of results) {
    expect(result.status, result.text).toBeLessThan(500);
    expect(result.text).not.toMatch(/violates|constraint|_key\b|stack/i);
  }
  return {
    ok: results.filter((result) => result.status === 200),
    refused: results.filter((result) => result.status !== 200),
    results,
  };
}

function oneWinner(outcome: Awaited<ReturnType<typeof race>>, message: RegExp) {
  expect(outcome.ok).toHaveLength(1);
  expect(outcome.refused).toHaveLength(racers - 1);
  for (const refused of outcome.refused) {
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(message);
  }
}

const count = async (query: ReturnType<typeof sql>) =>
  Number((await rows<{ n: number }>(kit.server.database.db, query))[0]!.n);

const signUp = (name: string, email: string) =>
  client.post("/api/organizations", {
    body: {
      Organization: { Name: name },
      User: { FirstName: "Race", LastName: "Runner", Email: email, Password: password },
    },
  });

// Twenty password hashes at once on a busy machine take a while.
describe("sign-up", { timeout: 120_000 }, () => {
  it("one organization name: one winner, the rest 400 naming the field", async () => {
    const name = unique("Same Name");
    oneWinner(await race(() => signUp(name, uniqueEmail("racer"))), /already taken/);
    expect(await count(sql`select count(*) as n from organizations where lower(name) = lower(${name})`)).toBe(1);
  });

  it("names that share a slug: all created, each with its own slug", async () => {
    const stem = unique("Slug Race");
    // "Slug Race x", "Slug Race x!", "Slug Race x!!"…: distinct names, one slug.
    const outcome = await race((racer) => signUp(`${stem}${"!".repeat(racer)}`, uniqueEmail("slug")));
    expect(outcome.ok).toHaveLength(racers);
    const slugs = outcome.ok.map((result) => result.body.Slug as string);
    expect(new Set(slugs).size).toBe(racers);
    for (const slug of slugs) expect(slug.startsWith(stem.toLowerCase().replace(/ /g, "-"))).toBe(true);
  });

  it("one e-mail with its password: every sign-up re-uses the one account", async () => {
    const email = uniqueEmail("same");
    const outcome = await race((racer) => signUp(unique(`Reuse ${racer}`), email));
    expect(outcome.ok).toHaveLength(racers);
    expect(await count(sql`select count(*) as n from users where lower(email) = lower(${email})`)).toBe(1);
    expect(
      await count(sql`select count(*) as n from organization_users ou join users u on u.id = ou.user_id
        where lower(u.email) = lower(${email}) and ou.is_admin`),
    ).toBe(racers);
  });
});

describe("within one organization", { timeout: 120_000 }, () => {
  it("createUser with one e-mail: one account, one membership, the same user answered to all", async () => {
    const email = uniqueEmail("member");
    const outcome = await race(() =>
      client.post("/api/users", {
        token: org.adminToken,
        body: { FirstName: "Mem", LastName: "Ber", Email: email, Password: password },
      }),
    );
    expect(outcome.ok).toHaveLength(racers);
    expect(new Set(outcome.ok.map((result) => result.body.Id)).size).toBe(1);
    expect(await count(sql`select count(*) as n from users where lower(email) = lower(${email})`)).toBe(1);
    expect(
      await count(sql`select count(*) as n from organization_users where user_id = ${outcome.ok[0]!.body.Id}`),
    ).toBe(1);
  });

  it("one price tier name, in any case: one winner", async () => {
    const name = unique("Tier");
    const outcome = await race((racer) =>
      client.post("/api/organizations/price-tiers", {
        token: org.adminToken,
        body: { Name: racer % 2 ? name.toUpperCase() : name, CurrencyCode: "USD" },
      }),
    );
    oneWinner(outcome, /name/i);
    expect(
      await count(sql`select count(*) as n from price_tiers where organization_id = ${org.organizationId}
        and lower(name) = lower(${name})`),
    ).toBe(1);
  });

  it("one rep number for twenty new reps: one winner", async () => {
    const repNumber = unique("R");
    const outcome = await race(() =>
      client.put("/api/organizations/salesreps", {
        token: org.adminToken,
        body: { email: uniqueEmail("rep"), firstName: "Rep", lastName: "Racer", repNumber },
      }),
    );
    oneWinner(outcome, /repNumber|rep number/i);
    expect(
      await count(sql`select count(*) as n from organization_sales_reps where organization_id = ${org.organizationId}
        and rep_number = ${repNumber}`),
    ).toBe(1);
  });

  it("one rep e-mail added twenty times: one assignment", async () => {
    const email = uniqueEmail("rep");
    const outcome = await race((racer) =>
      client.put("/api/organizations/salesreps", {
        token: org.adminToken,
        body: { email, firstName: "Rep", lastName: "Twin", repNumber: unique(`R${racer}`) },
      }),
    );
    oneWinner(outcome, /already/i);
    expect(
      await count(sql`select count(*) as n from organization_sales_reps a join sales_reps r on r.id = a.sales_rep_id
        join users u on u.id = r.user_id where a.organization_id = ${org.organizationId} and lower(u.email) = lower(${email})`),
    ).toBe(1);
  });

  it("create-sales-rep with one rep number: one winner", async () => {
    const repNumber = unique("R");
    const outcome = await race(() =>
      client.post("/api/salesRep", {
        token: org.adminToken,
        body: {
          email: uniqueEmail("created-rep"),
          firstName: "Rep",
          salesRepCompanies: [{ company: org.organizationId, customers: [], repNumber }],
        },
      }),
    );
    expect(outcome.ok).toHaveLength(1);
    for (const refused of outcome.refused) expect(refused.status).toBe(400);
    expect(
      await count(sql`select count(*) as n from organization_sales_reps where organization_id = ${org.organizationId}
        and rep_number = ${repNumber}`),
    ).toBe(1);
  });

  it("one user associated with twenty customers at once: one association, the last one standing", async () => {
    const member = await client.post("/api/users", {
      token: org.adminToken,
      body: { FirstName: "Asso", LastName: "Ciated", Email: uniqueEmail("assoc"), Password: password },
    });
    const customers = await Promise.all(Array.from({ length: racers }, () => org.customer()));
    const outcome = await race((racer) =>
      client.post("/api/organizations/users/associate-customer", {
        token: org.adminToken,
        body: { UserId: member.body.Id, CustomerNumber: customers[racer]!.customerNumber },
      }),
    );
    expect(outcome.ok).toHaveLength(racers);
    expect(
      await count(sql`select count(*) as n from user_customers where organization_id = ${org.organizationId}
        and user_id = ${member.body.Id}`),
    ).toBe(1);
  });

  it("one customer number upserted twenty times: one customer", async () => {
    const customerNumber = unique("C");
    const outcome = await race((racer) =>
      client.put("/api/customers", {
        token: org.adminToken,
        body: { customerNumber, companyName: `Racer ${racer}` },
      }),
    );
    expect(outcome.ok).toHaveLength(racers);
    expect(
      await count(sql`select count(*) as n from customers where organization_id = ${org.organizationId}
        and customer_number = ${customerNumber}`),
    ).toBe(1);
  });
});

import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys } from "../src/features/idempotency/idempotency.tables.js";
import { priceTiers } from "../src/features/price-tiers/price-tiers.tables.js";
import type { Client, HttpResult } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { password, unique } from "./support/seed.js";

let kit: TestKit;
let client: Client;

beforeAll(async () => {
  kit = await testKit();
  client = kit.client;
});
afterAll(() => kit?.close());

interface Answer {
  status: number;
  /** The created tier's id, when one was created. */
  tierId?: string;
  replayed: boolean;
  body: unknown;
  headers: Headers;
}

/** Creating a price tier under a key, over either transport: the write a client retries. */
interface Transport {
  name: string;
  createTier(org: Organization, key: string | undefined, tier: { name: string; currency?: string }): Promise<Answer>;
}

const answer = (result: HttpResult, tierId: string | undefined): Answer => ({
  status: result.status,
  tierId,
  replayed: result.headers.get("idempotent-replayed") === "true",
  body: result.body,
  headers: result.headers,
});

const rest: Transport = {
  name: "REST",
  async createTier(org, key, tier) {
    const result = await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      headers: key === undefined ? {} : { "idempotency-key": key },
      body: { Name: tier.name, CurrencyCode: tier.currency ?? "USD" },
    });
    return answer(result, result.body?.Id);
  },
};

const createTierMutation = `mutation CreateTier($name: String!, $currencyCode: String!) {
  createPriceTier(name: $name, currencyCode: $currencyCode) { id name currencyCode }
}`;

const graphql: Transport = {
  name: "GraphQL",
  async createTier(org, key, tier) {
    const result = await client.post("/graphql", {
      token: org.adminToken,
      body: {
        query: createTierMutation,
        variables: { name: tier.name, currencyCode: tier.currency ?? "USD" },
        ...(key === undefined ? {} : { extensions: { idempotencyKey: key } }),
      },
    });
    return answer(result, result.body?.data?.createPriceTier?.id);
  },
};

async function tiersNamed(org: Organization, name: string) {
  return kit.server.database.db
    .select()
    .from(priceTiers)
    .where(and(eq(priceTiers.organizationId, org.organizationId), eq(priceTiers.name, name)));
}

describe.each([rest, graphql])("an idempotency key over $name", (transport) => {
  it("replays the first answer for a retry with the same key and request, and runs nothing again", async () => {
    const org = await kit.organization();
    const key = randomUUID();
    const tier = { name: unique("Tier") };
    const first = await transport.createTier(org, key, tier);
    expect(first.status).toBe(200);
    expect(first.replayed).toBe(false);

    const retry = await transport.createTier(org, key, tier);
    expect(retry).toMatchObject({ status: 200, replayed: true, tierId: first.tierId });
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(await tiersNamed(org, tier.name)).toHaveLength(1);

    // Without a key the same retry is a second write, refused as a duplicate.
    const unkeyed = await transport.createTier(org, undefined, tier);
    expect(unkeyed.replayed).toBe(false);
    expect(JSON.stringify(unkeyed.body)).toMatch(/already the name of a price tier/);
  });

  it("answers 422 for the same key with a different request, and changes nothing", async () => {
    const org = await kit.organization();
    const key = randomUUID();
    const tier = { name: unique("Tier") };
    expect((await transport.createTier(org, key, tier)).status).toBe(200);
    const other = { name: unique("Other") };
    const mismatch = await transport.createTier(org, key, other);
    expect(mismatch.status).toBe(422);
    expect(mismatch.replayed).toBe(false);
    expect(JSON.stringify(mismatch.body)).toMatch(/used with a different request/);
    expect(await tiersNamed(org, other.name)).toHaveLength(0);
  });

  it("lets concurrent retries of one request make one change: each gets the first answer or 409", async () => {
    const org = await kit.organization();
    const key = randomUUID();
    const tier = { name: unique("Tier") };
    const answers = await Promise.all(Array.from({ length: 6 }, () => transport.createTier(org, key, tier)));
    const created = answers.filter((a) => a.status === 200);
    expect(created.filter((a) => !a.replayed)).toHaveLength(1);
    for (const replay of created) expect(replay.body).toEqual(created[0]!.body);
    for (const busy of answers.filter((a) => a.status !== 200)) {
      expect(busy.status).toBe(409);
      expect(busy.headers.get("retry-after")).toBe("1");
    }
    expect(await tiersNamed(org, tier.name)).toHaveLength(1);
  });

  it("runs the request again once the key has expired, and the pruner deletes expired keys", async () => {
    const org = await kit.organization();
    const key = randomUUID();
    const tier = { name: unique("Tier") };
    expect((await transport.createTier(org, key, tier)).status).toBe(200);
    const mine = and(eq(idempotencyKeys.organizationId, org.organizationId), eq(idempotencyKeys.key, key));
    // As if IDEMPOTENCY_KEY_TTL_HOURS had passed.
    await kit.server.database.db
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(mine);

    const late = await transport.createTier(org, key, tier);
    expect(late.replayed).toBe(false);
    expect(JSON.stringify(late.body)).toMatch(/already the name of a price tier/);

    await kit.server.database.db
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(mine);
    expect(await kit.server.idempotencyPruner.pruneOnce()).toBeGreaterThanOrEqual(1);
    expect(await kit.server.database.db.select().from(idempotencyKeys).where(mine)).toEqual([]);
  });

  it("keeps keys per organization and caller: another admin's same key and request run on their own", async () => {
    const org = await kit.organization();
    const other = await kit.organization();
    const key = randomUUID();
    const tier = { name: unique("Tier") };
    expect((await transport.createTier(org, key, tier)).status).toBe(200);
    const theirs = await transport.createTier(other, key, tier);
    expect(theirs).toMatchObject({ status: 200, replayed: false });
    expect(await tiersNamed(other, tier.name)).toHaveLength(1);
  });
});

describe("idempotency keys on the edges", () => {
  it("refuses a key that is not 1 to 255 printable characters with 400, over REST and GraphQL", async () => {
    const org = await kit.organization();
    for (const bad of ["has space", "x".repeat(256)]) {
      const viaRest = await rest.createTier(org, bad, { name: unique("Tier") });
      expect(viaRest.status).toBe(400);
      expect(JSON.stringify(viaRest.body)).toMatch(/Idempotency-Key must be 1 to 255 printable ASCII characters/);
      const viaGraphql = await graphql.createTier(org, bad, { name: unique("Tier") });
      expect(viaGraphql.status).toBe(400);
      expect(viaGraphql.body).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT" } }] });
    }
  });

  it("ignores a key without a token: a public sign-up runs every time and keeps nothing", async () => {
    const signUp = (key: string) =>
      client.post("/api/organizations", {
        headers: { "idempotency-key": key },
        body: {
          Organization: { Name: name, BillingCity: "Miami" },
          User: { FirstName: "Ada", LastName: "Admin", Email: email, Password: password },
        },
      });
    const name = unique("Org");
    const email = `${unique("anon")}@example.com`;
    const key = randomUUID();
    expect((await signUp(key)).status).toBe(200);
    const again = await signUp(key);
    expect(again.status).toBe(400);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    // A malformed key is not even looked at: the answer is the sign-up's own (the name is taken).
    const malformed = await signUp("not a key");
    expect(malformed.text).not.toMatch(/Idempotency-Key/);
    expect(malformed.text).toMatch(/already/);
    expect(await kit.server.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toEqual([]);
  });

  it("takes the Idempotency-Key header on /graphql too", async () => {
    const org = await kit.organization();
    const key = randomUUID();
    const send = () =>
      client.post("/graphql", {
        token: org.adminToken,
        headers: { "idempotency-key": key },
        body: { query: createTierMutation, variables: { name: "Header tier", currencyCode: "EUR" } },
      });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
  });

  it("ignores a key on reads: a GET and a GraphQL query run every time", async () => {
    const org = await kit.organization();
    const key = randomUUID();
    const read = () =>
      client.get("/api/organizations/price-tiers", { token: org.adminToken, headers: { "idempotency-key": key } });
    expect((await read()).status).toBe(200);
    await rest.createTier(org, undefined, { name: unique("Tier") });
    const again = await read();
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect(again.body).toHaveLength(1);
    const query = await client.post("/graphql", {
      token: org.adminToken,
      body: { query: "{ priceTiers { name } }", extensions: { idempotencyKey: key } },
    });
    expect(query.headers.get("idempotent-replayed")).toBeNull();
    expect(query.body.data.priceTiers).toHaveLength(1);
  });

  it("does not replay to a caller whose access was revoked since", async () => {
    const org = await kit.organization();
    const second = await kit.organization();
    // `second`'s admin becomes an admin of `org` too, makes a keyed write, and is then removed.
    await client.post("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { Email: second.admin.email },
    });
    const token = await org.tokenFor(second.admin.email);
    const key = randomUUID();
    const body = { Name: unique("Tier"), CurrencyCode: "USD" };
    const write = () =>
      client.post("/api/organizations/price-tiers", { token, headers: { "idempotency-key": key }, body });
    expect((await write()).status).toBe(200);
    const removal = await client.delete("/api/organizations/users/admins", {
      token: org.adminToken,
      body: { UserId: second.admin.userId },
    });
    expect(removal.status, removal.text).toBe(200);
    const retry = await write();
    expect(retry.status).toBe(403);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
  });
});

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)("a retry while the first request is held up in the database (PostgreSQL)", () => {
  it("answers 409 with Retry-After after a short wait, and the first answer once it is done", async () => {
    const org = await kit.organization();
    const key = randomUUID();
    const tier = { name: unique("Tier") };
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    try {
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      // One connection of the server's pool holds the table; its other connections serve the requests.
      const holding = kit.server.database.db.transaction(async (tx) => {
        await tx.execute(sql`lock table price_tiers in exclusive mode`);
        locked();
        await released;
      });
      await isLocked;
      const first = rest.createTier(org, key, tier);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const retry = await rest.createTier(org, key, tier);
      expect(retry.status).toBe(409);
      expect(retry.headers.get("retry-after")).toBe("1");
      expect(JSON.stringify(retry.body)).toMatch(/still running/);
      release();
      await holding;
      const done = await first;
      expect(done.status).toBe(200);
      const replay = await rest.createTier(org, key, tier);
      expect(replay).toMatchObject({ status: 200, replayed: true, tierId: done.tierId });
    } finally {
      release();
    }
  });
});

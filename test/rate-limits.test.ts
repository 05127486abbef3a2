import { createHash, randomInt } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisRateLimiter } from "../src/rate-limit/redis-rate-limiter.js";
import { Client, type RequestOptions } from "./support/http.js";
import { Seeding, testKit, type TestKit } from "./support/kit.js";
import { password, unique, uniqueEmail, type SeededOrganization } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

/** A client address of its own per test, sent through the proxy header the servers trust. */
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const from = (ip: string, options: RequestOptions = {}): RequestOptions => ({
  ...options,
  headers: { ...options.headers, "x-forwarded-for": ip },
});

async function graphqlFrom(client: Client, ip: string, query: string, variables: Record<string, unknown> = {}) {
  const result = await client.post("/graphql", from(ip, { body: { query, variables } }));
  const errors = (result.body.errors ?? []) as { extensions: { code: string; retryAfter?: number } }[];
  return { data: result.body.data, errors, codes: errors.map((e) => e.extensions.code) };
}

const exists = (client: Client, ip: string, email = uniqueEmail()) =>
  client.get("/api/users/exists", from(ip, { query: { Email: email } }));
const signIn = (client: Client, ip: string, email: string, pass: string) =>
  client.post("/api/auth/sign-in", from(ip, { body: { Email: email, Password: pass } }));

function expectTooMany(result: { status: number; headers: Headers; body: any }, maxSeconds: number) {
  expect(result.status).toBe(429);
  expect(result.headers.get("content-type")).toContain("application/problem+json");
  expect(result.body).toMatchObject({ status: 429, title: "Too Many Requests" });
  const retryAfter = Number(result.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

describe("in memory", () => {
  let kit: TestKit;
  let server: TestServer;
  let client: Client;
  let org: SeededOrganization;

  beforeAll(async () => {
    kit = await testKit({ env: { TRUST_PROXY: "true" } });
    server = kit.server;
    client = kit.client;
    org = await kit.organization();
  });
  afterAll(() => kit?.close());

  describe("GET /api/users/exists: 10 a minute per client IP", () => {
    it("answers the 11th call with 429 and Retry-After, over GraphQL too, while other clients go on", async () => {
      const ip = randomIp();
      for (let call = 1; call <= 10; call++) expect((await exists(client, ip)).status, `call ${call}`).toBe(200);
      const refused = await exists(client, ip);
      expectTooMany(refused, 60);
      expect(refused.body.detail).toMatch(/too many requests/i);

      const gql = await graphqlFrom(client, ip, `query ($e: String!) { userExists(email: $e) }`, { e: uniqueEmail() });
      expect(gql.codes).toEqual(["TOO_MANY_REQUESTS"]);
      expect(gql.errors[0]!.extensions.retryAfter).toBeGreaterThanOrEqual(1);
      expect(gql.errors[0]!.extensions.retryAfter).toBeLessThanOrEqual(60);

      expect((await exists(client, randomIp())).status).toBe(200);
    });

    it("states the quotas and what is left of them in the IETF RateLimit-Policy and RateLimit fields", async () => {
      const ip = randomIp();
      const first = await exists(client, ip);
      expect(first.status).toBe(200);
      const policy = /^"userExists";q=10;w=60, "emailLookup";q=(\d+);w=60$/.exec(
        first.headers.get("ratelimit-policy")!,
      );
      expect(policy).not.toBeNull();
      const [own, lookup] = first.headers.get("ratelimit")!.split(", ");
      expect(own).toMatch(/^"userExists";r=9;t=(60|59)$/);
      expect(lookup).toMatch(new RegExp(`^"emailLookup";r=${Number(policy![1]) - 1};t=(60|59)$`));

      for (let call = 2; call <= 10; call++) await exists(client, ip);
      const refused = await exists(client, ip);
      const retryAfter = expectTooMany(refused, 60);
      expect(refused.headers.get("ratelimit")).toBe(`"userExists";r=0;t=${retryAfter}`);

      const gql = await client.post(
        "/graphql",
        from(randomIp(), {
          body: { query: `mutation { signIn(email: "${uniqueEmail()}", password: "x") { accessToken } }` },
        }),
      );
      expect(gql.headers.get("ratelimit-policy")).toBe('"signIn";q=60;w=60');
      expect(gql.headers.get("ratelimit")).toMatch(/^"signIn";r=59;t=\d+$/);

      const unlimited = await client.get("/api/organization", { token: org.adminToken });
      expect(unlimited.status).toBe(200);
      expect(unlimited.headers.get("ratelimit")).toBeNull();
      expect(unlimited.headers.get("ratelimit-policy")).toBeNull();
    });

    it("counts each aliased call of one GraphQL document, and REST shares the count", async () => {
      const ip = randomIp();
      const calls = Array.from({ length: 11 }, (_, i) => `c${i}: userExists(email: "x${i}@example.com")`).join(" ");
      const gql = await graphqlFrom(client, ip, `{ ${calls} }`);
      expect(gql.codes).toEqual(["TOO_MANY_REQUESTS"]);
      expectTooMany(await exists(client, ip), 60);
    });

    it("keys on the socket address when no proxy is trusted, so a forged header gains nothing", async () => {
      const direct = await startServer({ database: server.database });
      try {
        const directClient = new Client(direct.url);
        for (let call = 1; call <= 10; call++) expect((await exists(directClient, randomIp())).status).toBe(200);
        expectTooMany(await exists(directClient, randomIp()), 60);
      } finally {
        await direct.close();
      }
    });
  });

  describe("sign-in", () => {
    it("locks an e-mail out after 5 failures in 15 minutes, even with the right password; other e-mails go on", async () => {
      const ip = randomIp();
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect((await signIn(client, ip, org.admin.email, "wrong-password")).status, `attempt ${attempt}`).toBe(401);
      }
      const locked = await signIn(client, ip, org.admin.email.toUpperCase(), password);
      const retryAfter = expectTooMany(locked, 15 * 60);
      expect(retryAfter).toBeGreaterThan(14 * 60);
      // The lockout is the e-mail's, wherever the attempt comes from.
      expectTooMany(await signIn(client, randomIp(), org.admin.email, password), 15 * 60);

      const gql = await graphqlFrom(
        client,
        randomIp(),
        `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }`,
        {
          e: org.admin.email,
          p: password,
        },
      );
      expect(gql.codes).toEqual(["TOO_MANY_REQUESTS"]);

      const other = await kit.organization();
      expect((await signIn(client, ip, other.admin.email, password)).status).toBe(200);
    });

    it("counts only failures: a success clears them", async () => {
      const other = await kit.organization();
      const ip = randomIp();
      for (let round = 0; round < 2; round++) {
        for (let attempt = 1; attempt <= 4; attempt++) {
          expect((await signIn(client, ip, other.admin.email, "wrong-password")).status).toBe(401);
        }
        expect((await signIn(client, ip, other.admin.email, password)).status).toBe(200);
      }
    });

    it("locks an unknown e-mail alike, so the lockout does not tell which accounts exist", async () => {
      const ip = randomIp();
      const email = uniqueEmail("nobody");
      for (let attempt = 1; attempt <= 5; attempt++)
        expect((await signIn(client, ip, email, "wrong-password")).status).toBe(401);
      expectTooMany(await signIn(client, ip, email, "wrong-password"), 15 * 60);
    });

    it("allows 60 attempts a minute per client IP, malformed ones included", async () => {
      const ip = randomIp();
      // A blank password is refused before any hashing, which keeps 60 attempts quick.
      const attempts = Array.from({ length: 60 }, () => signIn(client, ip, uniqueEmail("spray"), ""));
      expect((await Promise.all(attempts)).map((r) => r.status)).toEqual(Array(60).fill(400));
      expectTooMany(await signIn(client, ip, org.admin.email, password), 60);
      expect((await signIn(client, randomIp(), uniqueEmail("spray"), "wrong-password")).status).toBe(401);
    });
  });

  describe("invitation accept", () => {
    it("allows 30 a minute per client IP", async () => {
      const ip = randomIp();
      const accept = (pass: string) =>
        client.post("/api/auth/invitations/accept", from(ip, { body: { Token: unique("guess"), Password: pass } }));
      // A too-short password is refused before any hashing, which keeps 30 attempts quick.
      const answers = await Promise.all(Array.from({ length: 30 }, () => accept("short")));
      expect(answers.map((r) => r.status)).toEqual(Array(30).fill(400));
      expectTooMany(await accept(password), 60);

      const gql = await graphqlFrom(
        client,
        ip,
        `mutation { acceptInvitation(token: "x", password: "Quiet-Harbor-Lantern-42") { id } }`,
      );
      expect(gql.codes).toEqual(["TOO_MANY_REQUESTS"]);
    });
  });
});

describe("sign-up (POST /api/organizations)", () => {
  it("allows the default 10 an hour per client IP, counting refused input too; other clients go on", async () => {
    // The test servers raise the limit for seeding; here the default applies.
    const server = await startServer({ env: { TRUST_PROXY: "true", SIGN_UP_RATE_LIMIT: undefined } });
    try {
      const client = new Client(server.url);
      const ip = randomIp();
      // A weak password is refused after the limit is counted: no hashing, still a sign-up attempt.
      const signUp = (address: string) =>
        client.post(
          "/api/organizations",
          from(address, {
            body: {
              Organization: { Name: unique("Limited") },
              User: { FirstName: "Lim", Email: uniqueEmail(), Password: "short" },
            },
          }),
        );
      for (let call = 1; call <= 10; call++) expect((await signUp(ip)).status, `call ${call}`).toBe(400);
      const refused = await signUp(ip);
      expect(expectTooMany(refused, 3600)).toBeGreaterThan(60);
      const gql = await graphqlFrom(
        client,
        ip,
        `mutation { createOrganization(input: { organization: { name: "X" }, user: { firstName: "A", email: "a@example.com", password: "short" } }) { id } }`,
      );
      expect(gql.codes).toEqual(["TOO_MANY_REQUESTS"]);
      expect((await signUp(randomIp())).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe("e-mail lookups (EMAIL_LOOKUP_RATE_LIMIT): one budget per organization and per client IP", () => {
  it("refuses assign-admin beyond the limit from any address of the organization, and userExists from that IP", async () => {
    const kit = await testKit({ env: { TRUST_PROXY: "true", EMAIL_LOOKUP_RATE_LIMIT: "4" } });
    try {
      const client = kit.client;
      const org = await kit.organization();
      const other = await kit.organization();
      const assign = (ip: string, token = org.adminToken) =>
        client.post("/api/organizations/users/admins", from(ip, { token, body: { Email: uniqueEmail("nobody") } }));
      const ip = randomIp();
      // The documents want 400 for an unknown address; each answer tells whether one is registered.
      for (let call = 1; call <= 4; call++) expect((await assign(ip)).status, `call ${call}`).toBe(400);
      expectTooMany(await assign(ip), 60);
      // The organization's budget is spent, whichever address its admin calls from, over GraphQL too.
      expectTooMany(await assign(randomIp()), 60);
      const gql = await client.post(
        "/graphql",
        from(randomIp(), {
          token: org.adminToken,
          body: { query: `mutation { assignOrganizationAdmin(email: "x@example.com") { id } }` },
        }),
      );
      expect(gql.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual([
        "TOO_MANY_REQUESTS",
      ]);
      // The client address's budget is spent for every lookup, userExists included.
      expectTooMany(await exists(client, ip), 60);
      expect((await exists(client, randomIp())).status).toBe(200);
      expect((await assign(randomIp(), other.adminToken)).status).toBe(400);
    } finally {
      await kit.close();
    }
  });
});

describe("an unreachable Redis", () => {
  it("fails the limited operations with 500 rather than lifting the limits; the rest keeps working", async () => {
    const server = await startServer({ env: { REDIS_URL: "redis://127.0.0.1:1" } });
    try {
      const client = new Client(server.url);
      const result = await exists(client, randomIp());
      expect(result.status).toBe(500);
      expect(result.body).toMatchObject({ status: 500, detail: "An unexpected error occurred" });
      const gql = await client.graphql(`{ userExists(email: "a@example.com") }`);
      expect(gql.codes).toEqual(["INTERNAL_SERVER_ERROR"]);
      expect((await client.post("/api/organizations", { body: {} })).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)("in Redis (TEST_REDIS_URL)", () => {
  let first: TestServer;
  let second: TestServer;
  let one: Client;
  let two: Client;
  let org: SeededOrganization;
  let redis: Redis;
  const ips: string[] = [];
  const ip = () => {
    const address = randomIp();
    ips.push(address);
    return address;
  };
  /** Every request of this client, seeding included, comes from one of this run's addresses. */
  class RunClient extends Client {
    private readonly address = ip();
    override request<T = any>(method: string, path: string, options: RequestOptions = {}) {
      return super.request<T>(method, path, from(this.address, options));
    }
  }

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    const env = { REDIS_URL: redisUrl, TRUST_PROXY: "true" };
    first = await startServer({ env });
    second = await startServer({ env, database: first.database });
    one = new Client(first.url);
    two = new Client(second.url);
    org = await new Seeding(new RunClient(first.url)).organization();
  });
  afterAll(async () => {
    // Only this run's keys: the per-IP ones name its random addresses, the e-mail one its admin.
    const keys = [`rl:signInFailures:${createHash("sha256").update(org.admin.email.toLowerCase()).digest("hex")}`];
    for (const address of ips) keys.push(...(await redis.keys(`rl:*:ip:${address}`)));
    await redis.del(...keys);
    redis?.disconnect();
    await second?.close();
    await first?.close();
  });

  it("shares the exists limit between two instances", async () => {
    const address = ip();
    for (let call = 1; call <= 5; call++) expect((await exists(one, address)).status).toBe(200);
    for (let call = 1; call <= 5; call++) expect((await exists(two, address)).status).toBe(200);
    expectTooMany(await exists(one, address), 60);
    expectTooMany(await exists(two, address), 60);
    const ttl = await redis.pttl(`rl:userExists:ip:${address}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("shares sign-in failures between two instances", async () => {
    const address = ip();
    for (let attempt = 1; attempt <= 3; attempt++)
      expect((await signIn(one, address, org.admin.email, "wrong-password")).status).toBe(401);
    for (let attempt = 1; attempt <= 2; attempt++)
      expect((await signIn(two, address, org.admin.email, "wrong-password")).status).toBe(401);
    expectTooMany(await signIn(one, address, org.admin.email, password), 15 * 60);
    expectTooMany(await signIn(two, address, org.admin.email, password), 15 * 60);
  });

  it("counts, resets and ends its window", async () => {
    const prefix = `${unique("rl-test")}:`;
    const limiter = new RedisRateLimiter(redisUrl!, { prefix });
    try {
      expect(await limiter.hit("k", 2, 1)).toEqual({ allowed: true, retryAfter: 0, remaining: 1, resetSeconds: 1 });
      expect(await limiter.hit("k", 2, 1)).toEqual({ allowed: true, retryAfter: 0, remaining: 0, resetSeconds: 1 });
      expect(await limiter.hit("k", 2, 1)).toEqual({ allowed: false, retryAfter: 1, remaining: 0, resetSeconds: 1 });
      await limiter.reset("k");
      expect(await limiter.hit("k", 1, 1)).toMatchObject({ allowed: true, retryAfter: 0 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await limiter.hit("k", 1, 1)).toMatchObject({ allowed: true, retryAfter: 0 });
    } finally {
      await redis.del(`${prefix}k`);
      await limiter.close();
    }
  });

  it("forgives a hit of the current window, and never creates a window without an expiry", async () => {
    const prefix = `${unique("rl-test")}:`;
    const limiter = new RedisRateLimiter(redisUrl!, { prefix });
    try {
      await limiter.forgive("k");
      expect(await redis.exists(`${prefix}k`)).toBe(0);
      expect(await limiter.hit("k", 1, 60)).toEqual({ allowed: true, retryAfter: 0, remaining: 0, resetSeconds: 60 });
      await limiter.forgive("k");
      expect(await limiter.hit("k", 1, 60)).toMatchObject({ allowed: true, retryAfter: 0, remaining: 0 });
      expect((await limiter.hit("k", 1, 60)).allowed).toBe(false);
      expect(await redis.pttl(`${prefix}k`)).toBeGreaterThan(0);
    } finally {
      await redis.del(`${prefix}k`);
      await limiter.close();
    }
  });

  it("shares failed OAuth client authentications between two instances", async () => {
    const address = ip();
    const token = (via: Client) =>
      via.post("/oauth/token", {
        rawBody: "grant_type=client_credentials&client_id=shared-guess&client_secret=gwcs_x",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
      });
    for (let attempt = 1; attempt <= 5; attempt++) expect((await token(one)).status).toBe(401);
    for (let attempt = 1; attempt <= 5; attempt++) expect((await token(two)).status).toBe(401);
    const refused = await token(one);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe("temporarily_unavailable");
    await redis.del(`rl:oauthFailures:client:${createHash("sha256").update("shared-guess").digest("hex")}`);
  });
});

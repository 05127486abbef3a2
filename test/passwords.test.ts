import "reflect-metadata";
import { randomBytes, scryptSync } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../src/features/users/users.tables.js";
import type { Client } from "./support/http.js";
import { testKit, type TestKit } from "./support/kit.js";
import { password, unique, uniqueEmail } from "./support/seed.js";

let kit: TestKit;
let client: Client;

beforeAll(async () => {
  kit = await testKit({ mailWorker: false });
  client = kit.client;
});
afterAll(() => kit?.close());

const signUp = (userPassword: string) =>
  client.post("/api/organizations", {
    body: {
      Organization: { Name: unique("Org"), BillingCity: "Miami" },
      User: { FirstName: "Ada", LastName: "Admin", Email: uniqueEmail("admin"), Password: userPassword },
    },
  });

const storedHash = async (userId: string) =>
  (await kit.server.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)))[0]!.hash!;

describe("the password policy", () => {
  it.each([
    ["password", /one of the ten most common passwords/],
    ["12345678", /one of the ten most common passwords/],
    ["aaaaaaaa", /repeats a character/],
    ["Password1", /very common password/],
    ["Password1234!", /common password with small changes/],
  ])("refuses %s over REST and GraphQL, saying why", async (weak, reason) => {
    const rest = await signUp(weak);
    expect(rest.status).toBe(400);
    expect(rest.body.errors["User.Password"]).toMatch(/^is too easy to guess: /);
    expect(rest.body.errors["User.Password"]).toMatch(reason);
    const gql = await client.graphql(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      {
        input: {
          organization: { name: unique("Org"), billingCity: "Miami" },
          user: { firstName: "Ada", lastName: "Admin", email: uniqueEmail("admin"), password: weak },
        },
      },
    );
    expect(gql.codes).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(gql.errors)).toMatch(/too easy to guess/);
  });

  it("accepts a passphrase and hashes it with scrypt N=2^15, r=8, p=3", async () => {
    const org = await kit.organization();
    expect(await storedHash(org.admin.userId)).toMatch(/^scrypt\$32768\$8\$3\$/);
  });
});

describe("an old hash", () => {
  it("is replaced with today's settings at the next successful sign-in, and still signs in after", async () => {
    const org = await kit.organization();
    const salt = randomBytes(16);
    const key = scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const old = `scrypt$16384$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
    await kit.server.database.db.update(users).set({ passwordHash: old }).where(eq(users.id, org.admin.userId));

    const wrong = await client.post("/api/auth/sign-in", { body: { Email: org.admin.email, Password: "wrong-one" } });
    expect(wrong.status).toBe(401);
    expect(await storedHash(org.admin.userId)).toBe(old);

    await kit.identityToken(org.admin.email);
    const rehashed = await storedHash(org.admin.userId);
    expect(rehashed).toMatch(/^scrypt\$32768\$8\$3\$/);
    await kit.identityToken(org.admin.email);
  });
});

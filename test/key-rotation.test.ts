import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { decodeProtectedHeader } from "jose";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateSigningKey, rotationTiming } from "../src/auth/key-store.js";
import { signingKeys } from "../src/auth/signing-keys.tables.js";
import { eventually } from "./support/eventually.js";
import { Client } from "./support/http.js";
import { Seeding, testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims } from "./support/seed.js";
import type { TestServer } from "./support/server.js";

const graceSeconds = 15;
const env = { JWT_KEY_GRACE_SECONDS: String(graceSeconds), JWT_KEY_REFRESH_SECONDS: "1" };
const kidOf = (token: string) => decodeProtectedHeader(token).kid;

let kit: TestKit;
let first: TestServer;
let a: Client;
let b: Client;
let org: Organization;

beforeAll(async () => {
  kit = await testKit({ env });
  first = kit.server;
  a = kit.client;
  b = new Client((await kit.instance()).url);
  org = await kit.organization();
});

afterAll(() => kit?.close());

describe("signing-key rotation", () => {
  it("signs with a new key while the old key's tokens verify until the grace period ends", async () => {
    const oldToken = org.adminToken;
    const oldKid = kidOf(oldToken);
    expect((await b.get("/api/organization", { token: oldToken })).status).toBe(200);

    const rotation = await rotateSigningKey(first.database.db, rotationTiming(first.config));
    expect(rotation.kid).not.toBe(oldKid);
    expect(rotation.retired).toEqual([oldKid]);

    // Both instances read the new key within JWT_KEY_REFRESH_SECONDS and sign with it once it activates.
    for (const instance of [kit, new Seeding(b)]) {
      const fresh = await eventually(
        () => instance.identityToken(org.admin.email),
        (token) => kidOf(token) === rotation.kid,
      );
      expect(kidOf(fresh)).toBe(rotation.kid);
    }
    const newAccess = await a.post("/api/auth/access", {
      token: await kit.identityToken(org.admin.email),
      body: { IdentityOrganizationId: org.identityOrganizationId },
    });
    expect(kidOf(newAccess.body.AccessToken)).toBe(rotation.kid);
    expect(claims(newAccess.body.AccessToken).Roles).toEqual(["Admin"]);
    expect((await b.get("/api/organization", { token: newAccess.body.AccessToken })).status).toBe(200);

    for (const client of [a, b]) {
      expect((await client.get("/api/organization", { token: oldToken })).status).toBe(200);
      const jwks = await client.get("/.well-known/jwks.json");
      expect(jwks.body.keys.map((key: { kid: string }) => key.kid).sort()).toEqual([oldKid, rotation.kid].sort());
    }

    // After the grace period the retired key leaves the JWKS and its tokens are refused.
    const refused = await eventually(
      () => a.get("/api/organization", { token: oldToken }),
      (result) => result.status === 401,
      (graceSeconds + 8) * 1000,
    );
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe("The bearer token was signed with an unknown or retired key");
    expect((await b.get("/api/organization", { token: oldToken })).status).toBe(401);
    const gql = await b.graphql("{ organization { id } }", {}, oldToken);
    expect(gql.codes).toEqual(["UNAUTHENTICATED"]);
    for (const client of [a, b]) {
      const jwks = await client.get("/.well-known/jwks.json");
      expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual([rotation.kid]);
    }
    expect((await a.get("/api/organization", { token: newAccess.body.AccessToken })).status).toBe(200);
  }, 90_000);

  it("deletes keys past their grace period at the next rotation", async () => {
    const immediate = { graceSeconds: 0, activationDelaySeconds: 0 };
    const older = await rotateSigningKey(first.database.db, immediate);
    const newer = await rotateSigningKey(first.database.db, immediate);
    expect(newer.retired).toEqual([older.kid]);
    expect(newer.deleted).toEqual(expect.arrayContaining(older.retired));
    const ring = await first.database.db.select({ kid: signingKeys.kid }).from(signingKeys);
    expect(ring.map((key) => key.kid).sort()).toEqual([older.kid, newer.kid].sort());
  });

  it("refuses a token whose kid is in no ring with 401", async () => {
    const forged = await kit.tokens.forged(claims(org.adminToken), { keyId: "not-a-kid-of-ours" });
    const result = await a.get("/api/organization", { token: forged });
    expect(result.status).toBe(401);
    expect(result.body.detail).toBe("The bearer token was signed with an unknown or retired key");
  });
});

describe("npm run keys:rotate", () => {
  const root = new URL("..", import.meta.url).pathname;
  const run = (extra: Record<string, string>) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/rotate-keys.ts"], {
      cwd: root,
      env: { ...process.env, ...extra },
    });

  it("refuses to rotate a configured key", async () => {
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });
    const refused = await run({ JWT_PRIVATE_KEY: String(pem) }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/JWT_PRIVATE_KEY is set/) });
  }, 60_000);

  // Booting embedded PGlite in a child takes most of a minute on a busy machine: PostgreSQL only.
  it.runIf(process.env.DATABASE_URL)(
    "migrates and rotates the configured database",
    async () => {
      const admin = new URL(process.env.DATABASE_URL!);
      const name = `keys_rotate_${randomBytes(4).toString("hex")}`;
      admin.pathname = "/postgres";
      const sql = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
      await sql`create database ${sql(name)}`;
      try {
        const url = new URL(admin);
        url.pathname = `/${name}`;
        const once = JSON.parse((await run({ DATABASE_URL: url.toString() })).stdout);
        const twice = JSON.parse((await run({ DATABASE_URL: url.toString() })).stdout);
        expect(twice.retired).toEqual([once.signingKid]);
        expect(twice.signingKid).not.toBe(once.signingKid);
      } finally {
        await sql`drop database if exists ${sql(name)} with (force)`;
        await sql.end();
      }
    },
    60_000,
  );
});

import { and, desc, isNotNull, isNull, lt, ne, or, sql, gt } from "drizzle-orm";
import type { Config } from "../config.js";
import type { Database, Transaction } from "../db/client.js";
import { generateSigningKey, privateJwkOf, signingKeyFromJwk, type SigningKey } from "./keys.js";
import { signingKeys } from "./signing-keys.tables.js";

export interface StoredKey extends SigningKey {
  /** When it starts signing; it verifies from the moment an instance has read it. */
  activatedAt: Date;
  /** When the next key takes over; from then it only verifies, until the grace period ends. */
  retiredAt: Date | null;
}

export interface RotationTiming {
  /** How long a retired key still verifies. */
  graceSeconds: number;
  /**
   * How long the new key is published before it signs: longer than the instances' re-read
   * interval, so every instance verifies it before any instance signs with it.
   */
  activationDelaySeconds: number;
}

/**
 * Instances starting together and rotations run from several places take this lock first, so the
 * ring never gets two signing keys.
 */
async function lockRing(tx: Transaction): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gateway:signing-keys'))`);
}

async function insertKey(tx: Transaction, activatedAt = sql`now()`): Promise<SigningKey> {
  const key = await generateSigningKey();
  await tx.insert(signingKeys).values({
    kid: key.kid,
    algorithm: key.algorithm,
    privateJwk: privateJwkOf(key),
    publicJwk: key.publicJwk,
    activatedAt,
  });
  return key;
}

/** Generates the first signing key when the ring has none (the first instance ever started). */
export async function ensureSigningKey(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await lockRing(tx);
    const [active] = await tx.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
    if (!active) await insertKey(tx);
  });
}

/** The rotation timing the servers' configuration implies: publication spans two re-reads. */
export function rotationTiming(
  config: Pick<Config, "JWT_KEY_GRACE_SECONDS" | "JWT_KEY_REFRESH_SECONDS">,
): RotationTiming {
  return { graceSeconds: config.JWT_KEY_GRACE_SECONDS, activationDelaySeconds: 2 * config.JWT_KEY_REFRESH_SECONDS };
}

export interface Rotation {
  kid: string;
  retired: string[];
  /** Keys whose grace period had ended, deleted with their private halves. */
  deleted: string[];
}

/**
 * Makes a new key the signing key once `activationDelaySeconds` have passed. The previous ones
 * retire then, not deleted: tokens they signed keep verifying for `graceSeconds`, after which the
 * next rotation deletes them.
 */
export async function rotateSigningKey(db: Database, timing: RotationTiming): Promise<Rotation> {
  const { graceSeconds, activationDelaySeconds } = timing;
  const activation = sql`now() + make_interval(secs => ${activationDelaySeconds}::double precision)`;
  return db.transaction(async (tx) => {
    await lockRing(tx);
    const deleted = await tx
      .delete(signingKeys)
      .where(
        and(
          isNotNull(signingKeys.retiredAt),
          lt(signingKeys.retiredAt, sql`now() - make_interval(secs => ${graceSeconds}::double precision)`),
        ),
      )
      .returning({ kid: signingKeys.kid });
    const key = await insertKey(tx, activation);
    const retired = await tx
      .update(signingKeys)
      .set({ retiredAt: activation })
      .where(and(isNull(signingKeys.retiredAt), ne(signingKeys.kid, key.kid)))
      .returning({ kid: signingKeys.kid });
    return { kid: key.kid, retired: retired.map((row) => row.kid), deleted: deleted.map((row) => row.kid) };
  });
}

/** Every key that signs, will sign or still verifies, newest first. */
export async function readKeyRing(db: Database, graceSeconds: number): Promise<StoredKey[]> {
  const rows = await db
    .select()
    .from(signingKeys)
    .where(
      or(
        isNull(signingKeys.retiredAt),
        gt(signingKeys.retiredAt, sql`now() - make_interval(secs => ${graceSeconds}::double precision)`),
      ),
    )
    .orderBy(desc(signingKeys.activatedAt));
  return Promise.all(
    rows.map(async (row) => ({
      ...(await signingKeyFromJwk(row.privateJwk)),
      activatedAt: row.activatedAt,
      retiredAt: row.retiredAt,
    })),
  );
}

import { createHash } from "node:crypto";
import { and, eq, lte, or, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Principal } from "../../auth/principal.js";
import type { Database } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { RetentionPruner } from "../../db/retention-pruner.js";
import { AppError } from "../../errors.js";
import { idempotencyKeys } from "./idempotency.tables.js";

/** Whose keys: one caller in one organization never meets another's. */
export interface IdempotencyScope {
  organizationId: string;
  caller: string;
}

/** The first answer, as it went to the client. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  /** This request runs the operation and then `complete`s or `abandon`s the key. */
  | { kind: "first"; scope: IdempotencyScope; key: string }
  | { kind: "replay"; answer: StoredAnswer }
  /** The key was used for another request. */
  | { kind: "mismatch" }
  /** The first request with this key is still running. */
  | { kind: "running" };

/** Printable ASCII without spaces, as the keys clients generate (UUIDs, ULIDs, hashes) are. */
const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** Why a key is unusable, or null. */
export function idempotencyKeyProblem(key: string): string | null {
  return keyPattern.test(key) ? null : "must be 1 to 255 printable ASCII characters without spaces";
}

/**
 * The caller a key belongs to: the organization and the actor of the verified token, roles
 * re-checked as for any operation (memoised, so the operation does not pay twice). Null without a
 * usable token: an anonymous request has no one to keep its answer for, and a refused token gets
 * its answer from the operation.
 */
export async function idempotencyScope(auth: Principal): Promise<IdempotencyScope | null> {
  if (auth.tokenKind === null) return null;
  try {
    const actor = await auth.actor();
    const organizationId =
      auth.tokenKind === "access" || auth.tokenKind === "client" ? await auth.organizationId() : "";
    return { organizationId, caller: actor.kind === "user" ? `user:${actor.userId}` : `client:${actor.clientId}` };
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/** SHA-256 of the request's parts, objects with their keys sorted, so a re-sent request matches whatever its key order. */
export function requestFingerprint(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts, sortedKeys)).digest("base64url");
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A first request gone longer than this (its process died mid-way) no longer holds its key. */
const runningLockSeconds = 60;
/** How long a retry waits for the first request to finish before it is told 409. */
const waitForFirstMs = 2000;
const pollMs = 100;

export interface ClaimOptions {
  scope: IdempotencyScope;
  key: string;
  fingerprint: string;
  ttlHours: number;
}

/**
 * Claims `key` for this request, or answers what the first request with it answered. A retry
 * while the first still runs waits up to two seconds for its answer.
 */
export async function claimIdempotencyKey(db: Database, options: ClaimOptions): Promise<IdempotencyClaim> {
  const deadline = Date.now() + waitForFirstMs;
  for (;;) {
    const claim = await tryClaim(db, options);
    if (claim.kind !== "running" || Date.now() >= deadline) return claim;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function tryClaim(db: Database, { scope, key, fingerprint, ttlHours }: ClaimOptions): Promise<IdempotencyClaim> {
  const t = idempotencyKeys;
  const lockedUntil = sql`now() + make_interval(secs => ${runningLockSeconds})`;
  const expiresAt = sql`now() + make_interval(hours => ${ttlHours})`;
  // A new key, or one that expired, or one whose first request died with this same request.
  const claimed = await db
    .insert(t)
    .values({ id: newId(), ...scope, key, fingerprint, lockedUntil, expiresAt })
    .onConflictDoUpdate({
      target: [t.organizationId, t.caller, t.key],
      set: {
        fingerprint,
        status: "running",
        lockedUntil,
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        createdAt: sql`now()`,
        expiresAt,
      },
      setWhere: or(
        lte(t.expiresAt, sql`now()`),
        and(eq(t.status, "running"), lte(t.lockedUntil, sql`now()`), eq(t.fingerprint, fingerprint)),
      ),
    })
    .returning({ key: t.key });
  if (claimed.length > 0) return { kind: "first", scope, key };
  const [existing] = await db.select().from(t).where(keyOf(scope, key));
  // Pruned between the two statements: the next try claims it.
  if (!existing) return { kind: "running" };
  if (existing.fingerprint !== fingerprint) return { kind: "mismatch" };
  if (existing.status === "running") return { kind: "running" };
  return {
    kind: "replay",
    answer: {
      status: existing.responseStatus!,
      headers: existing.responseHeaders ?? {},
      body: existing.responseBody ?? "",
    },
  };
}

/** Keeps the first answer for the key's lifetime. */
export async function completeIdempotencyKey(
  db: Database,
  claim: { scope: IdempotencyScope; key: string },
  answer: StoredAnswer,
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: "done", responseStatus: answer.status, responseHeaders: answer.headers, responseBody: answer.body })
    .where(and(keyOf(claim.scope, claim.key), eq(idempotencyKeys.status, "running")));
}

/** Lets the key go: the request failed in a way a retry should run again (a 5xx, a rate limit). */
export async function abandonIdempotencyKey(
  db: Database,
  claim: { scope: IdempotencyScope; key: string },
): Promise<void> {
  await db.delete(idempotencyKeys).where(and(keyOf(claim.scope, claim.key), eq(idempotencyKeys.status, "running")));
}

/**
 * Whether an answer is kept for replay: what the operation decided, not what stopped it running
 * (a 5xx, an authentication failure, a rate limit), which a retry should meet afresh.
 */
export function isReplayable(status: number): boolean {
  return status < 500 && status !== 401 && status !== 429;
}

function keyOf(scope: IdempotencyScope, key: string) {
  return and(
    eq(idempotencyKeys.organizationId, scope.organizationId),
    eq(idempotencyKeys.caller, scope.caller),
    eq(idempotencyKeys.key, key),
  );
}

/** Prunes keys past their lifetime (IDEMPOTENCY_KEY_TTL_HOURS) with the other retention jobs. */
export function idempotencyKeyPruner(db: Database, log: FastifyBaseLogger): RetentionPruner {
  return new RetentionPruner(db, {
    name: "idempotency keys",
    table: idempotencyKeys,
    key: [idempotencyKeys.organizationId, idempotencyKeys.id],
    expired: () => lte(idempotencyKeys.expiresAt, sql`now()`),
    log,
  });
}

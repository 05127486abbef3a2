import { lte, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../db/client.js";
import { RetentionPruner } from "../../db/retention-pruner.js";
import { deviceTokens, passwordResets, revokedSessions } from "./sessions.tables.js";

/**
 * Rows of the sign-in tables that can no longer change an answer: a revoked session whose tokens
 * have all expired, a password-reset link and a device token past their lifetime. Without these
 * jobs each table grew by a row per sign-out, reset request or sign-in, for good.
 */
export function expiredCredentialPruners(db: Database, log: FastifyBaseLogger): RetentionPruner[] {
  return [
    new RetentionPruner(db, {
      name: "revoked sessions",
      table: revokedSessions,
      key: [revokedSessions.sessionId],
      expired: () => lte(revokedSessions.expiresAt, sql`now()`),
      log,
    }),
    new RetentionPruner(db, {
      name: "password-reset links",
      table: passwordResets,
      key: [passwordResets.id],
      expired: () => lte(passwordResets.expiresAt, sql`now()`),
      log,
    }),
    new RetentionPruner(db, {
      name: "device tokens",
      table: deviceTokens,
      key: [deviceTokens.tokenHash],
      expired: () => lte(deviceTokens.expiresAt, sql`now()`),
      log,
    }),
  ];
}

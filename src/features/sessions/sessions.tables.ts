import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "../users/users.tables.js";

/**
 * Signed-out sessions: a session is the identity token of one sign-in and every access token
 * enriched from it (their `sid`). A row can go once `expiresAt` has passed, since every token of
 * the session has expired by then.
 */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);

/** Single-use password-reset links; only the SHA-256 of the token is stored. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique("password_resets_token_hash_key"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

/**
 * Device tokens: answered by each successful sign-in, so that the owner's later sign-ins from that
 * client are counted apart from everyone else's failures (no lockout of the owner by a stranger).
 * Only the SHA-256 of the token is stored.
 */
export const deviceTokens = pgTable(
  "device_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("device_tokens_user_idx").on(t.userId), index("device_tokens_expires_idx").on(t.expiresAt)],
);

import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";

export const idempotencyStatuses = ["running", "done"] as const;
export type IdempotencyStatus = (typeof idempotencyStatuses)[number];

/**
 * A write's first answer, kept under the key its client sent, per organization and caller: a
 * retry with the same key and request is answered from here instead of running again.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** A row's own id, for pruning in batches. */
    id: text("id").notNull(),
    /** The caller's organization; empty for a caller that has none (an identity token). */
    organizationId: text("organization_id").notNull(),
    /** `user:<id>` or `client:<id>`: whose key it is. */
    caller: text("caller").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of the method, the route and the request: the same key with another request is refused. */
    fingerprint: text("fingerprint").notNull(),
    status: text("status").$type<IdempotencyStatus>().notNull().default("running"),
    /** While `running`: when the first request is presumed gone (its process died) and a retry may run. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }).notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseBody: text("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: "idempotency_keys_pkey", columns: [t.organizationId, t.id] }),
    uniqueIndex("idempotency_keys_scope_key_idx").on(t.organizationId, t.caller, t.key),
    index("idempotency_keys_expires_idx").on(t.expiresAt),
  ],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;

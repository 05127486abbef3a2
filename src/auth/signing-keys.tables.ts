import type { JWK } from "jose";
import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The key ring of generated signing keys, shared by every instance on one database. The newest
 * key with no `retired_at` signs; a retired key still verifies until its grace period ends.
 */
export const signingKeys = pgTable("signing_keys", {
  kid: text("kid").primaryKey(),
  algorithm: text("algorithm").notNull(),
  privateJwk: jsonb("private_jwk").$type<JWK>().notNull(),
  publicJwk: jsonb("public_jwk").$type<JWK>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  activatedAt: timestamp("activated_at", { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
});

import type { JWK } from "jose";
import { integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The generated signing key, shared by every instance on one database. `slot` is always 1 so that
 * instances starting together insert at most one key.
 */
export const signingKeys = pgTable("signing_keys", {
  slot: integer("slot").primaryKey(),
  kid: text("kid").notNull(),
  algorithm: text("algorithm").notNull(),
  privateJwk: jsonb("private_jwk").$type<JWK>().notNull(),
  publicJwk: jsonb("public_jwk").$type<JWK>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

import { index, pgTable, text, timestamp, primaryKey } from "drizzle-orm/pg-core";
import { organizations } from "../organizations/organizations.tables.js";

/**
 * An organization's machine clients (OAuth client credentials). Only a SHA-256 of the secret is
 * kept: the secret is 32 random bytes, so a slow hash would add nothing but latency.
 */
export const apiClients = pgTable(
  "api_clients",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Built-in roles (Admin) and custom seller role keys, in one list as the API shows them. */
    roles: text("roles").array().notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: "api_clients_pkey", columns: [t.organizationId, t.id] }),
    // A client signs in with its id and secret alone, before its organization is known.
    index("api_clients_id_idx").on(t.id),
  ],
);

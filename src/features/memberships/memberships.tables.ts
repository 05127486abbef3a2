import { index, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";
import { organizations } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";

/**
 * The one-click way out that every membership e-mail carries: a single-use token (only its SHA-256
 * is stored) that takes its user out of its organization, and may block that organization's mail.
 */
export const leaveLinks = pgTable(
  "leave_links",
  {
    id: text("id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "leave_links_pkey", columns: [t.organizationId, t.id] }),
    unique("leave_links_token_hash_key").on(t.organizationId, t.tokenHash),
    // Leaving finds the link by its token alone.
    index("leave_links_token_hash_idx").on(t.tokenHash),
    index("leave_links_user_org_idx").on(t.userId, t.organizationId),
  ],
);

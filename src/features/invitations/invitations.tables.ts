import { index, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";
import { organizations } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";

/** What an invitation offers: a plain membership, the Admin role, or a sales rep assignment. */
export const invitationRoles = ["Member", "Admin", "SalesRep"] as const;
export type InvitationRole = (typeof invitationRoles)[number];

/**
 * An organization's invitation of a person, with a single-use link: to choose a password (a new
 * account) and, under MEMBERSHIP_CONSENT=required, to accept a pending membership. Only the
 * SHA-256 of the token is stored. Its state follows from the timestamps: accepted (`used_at`),
 * revoked, expired, else pending.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: text("id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: text("role").$type<InvitationRole>(),
    /** The inviting user's id, or the API client's, by `invited_by_kind`. */
    invitedById: text("invited_by_id"),
    invitedByKind: text("invited_by_kind").$type<"user" | "client">(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** When the link was last mailed: creation, or the latest resend. */
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "invitations_pkey", columns: [t.organizationId, t.id] }),
    unique("invitations_token_hash_key").on(t.organizationId, t.tokenHash),
    // Accepting finds the invitation by its token alone.
    index("invitations_token_hash_idx").on(t.tokenHash),
    index("invitations_user_idx").on(t.userId),
    index("invitations_organization_idx").on(t.organizationId, t.createdAt),
  ],
);

export type InvitationRow = typeof invitations.$inferSelect;

import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Platform-wide identities: one row per person, whatever organizations they belong to. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull().default(""),
    phoneNumber: text("phone_number"),
    /** scrypt hash; null until the user sets a password (invited, or external identity only). */
    passwordHash: text("password_hash"),
    /** `sub` of the external identity provider's token, linked on first use. */
    externalSubject: text("external_subject"),
    emailVerified: boolean("email_verified").notNull().default(false),
    /**
     * The user's own tokens issued before this instant are refused: set by signing out of every
     * session and by a password change or reset, from the gateway's clock (as tokens' iat_ms are).
     */
    sessionsValidAfter: timestamp("sessions_valid_after", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    uniqueIndex("users_external_subject_key").on(t.externalSubject),
    index("users_last_name_idx").on(t.lastName),
  ],
);

export type UserRow = typeof users.$inferSelect;

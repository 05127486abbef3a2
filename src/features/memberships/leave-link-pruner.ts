import { lte, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../db/client.js";
import { RetentionPruner } from "../../db/retention-pruner.js";
import { leaveLinks } from "./memberships.tables.js";

/** Leave-organization links past their lifetime answer like unknown ones, so their rows can go. */
export function leaveLinkPruner(db: Database, log: FastifyBaseLogger): RetentionPruner {
  return new RetentionPruner(db, {
    name: "leave links",
    table: leaveLinks,
    key: [leaveLinks.organizationId, leaveLinks.id],
    expired: () => lte(leaveLinks.expiresAt, sql`now()`),
    log,
  });
}

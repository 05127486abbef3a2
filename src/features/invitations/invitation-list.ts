import { sql } from "drizzle-orm";
import type { ListSpec } from "../../pagination.js";
import { users } from "../users/users.tables.js";
import { invitations } from "./invitations.tables.js";

export const invitationStates = ["pending", "accepted", "expired", "revoked"] as const;
export type InvitationState = (typeof invitationStates)[number];

/** An invitation's state, from its timestamps: the one definition the list, its filter and its checks share. */
export const invitationState = sql<InvitationState>`case
  when ${invitations.usedAt} is not null then 'accepted'
  when ${invitations.revokedAt} is not null then 'revoked'
  when ${invitations.expiresAt} <= now() then 'expired'
  else 'pending' end`;

/** Sort fields of GET /api/organizations/invitations and invitations, by the names clients give (any case). */
export const invitationListSpec: ListSpec = {
  sortFields: { CreatedAt: invitations.createdAt, SentAt: invitations.sentAt, Email: users.email },
  defaultSort: "CreatedAt",
  tieBreaker: invitations.id,
};

import { createHash, randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Config } from "../../config.js";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { enqueueMail, recipientCaps } from "../../mail/outbox.js";
import type { MembershipNoticeData, RenderedMail } from "../../mail/templates.js";
import { apiClients } from "../api-clients/api-clients.tables.js";
import { invitations, type InvitationRole } from "../invitations/invitations.tables.js";
import { leaveLinks } from "../memberships/memberships.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import { users, type UserRow } from "../users/users.tables.js";
import { byKey } from "../../db/tenant-key.js";

/** What every e-mail to a person about an organization is rendered from. */
export interface PersonMailData {
  firstName: string;
  /** The organization's name, or several joined as "A, B and C". */
  organizationName: string;
  /** A single-use link to choose a password, while the user has none (it accepts a pending membership too). */
  acceptUrl?: string;
  /** A single-use link to accept a pending membership, for a user with a password. */
  joinUrl?: string;
  signInUrl: string;
  /** Set when the mail announces a new membership: who added the person, as what, and the way out. */
  notice?: MembershipNoticeData;
}

type LinkConfig = Pick<
  Config,
  | "SIGN_IN_URL"
  | "INVITATION_URL"
  | "INVITATION_TTL_HOURS"
  | "PUBLIC_URL"
  | "MAIL_RECIPIENT_HOURLY_LIMIT"
  | "MAIL_RECIPIENT_DAILY_LIMIT"
>;

export const hashInvitationToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A leave link works this long: a person may read the mail weeks later. */
const leaveLinkDays = 30;

/** Where e-mails send a person who already has a password: the built-in page, or a front end's. */
export function signInUrl(config: Pick<Config, "SIGN_IN_URL">): string {
  return config.SIGN_IN_URL;
}

/** Who made a change that a person is told about: a user by name, or an API client. */
export interface Inviter {
  kind: "user" | "client";
  id: string;
  name: string;
}

export async function inviterOf(ctx: RequestContext): Promise<Inviter> {
  const actor = await ctx.auth.actor();
  if (actor.kind === "client") {
    const [client] = await ctx.db
      .select({ name: apiClients.name })
      .from(apiClients)
      .where(byKey(apiClients, { organizationId: await ctx.auth.organizationId(), id: actor.clientId }));
    return { kind: "client", id: actor.clientId, name: `the API client ${client?.name ?? actor.clientId}` };
  }
  const [caller] = await ctx.db
    .select({ firstName: users.firstName, lastName: users.lastName, email: users.email })
    .from(users)
    .where(eq(users.id, actor.userId));
  const name = caller ? `${`${caller.firstName} ${caller.lastName}`.trim()} (${caller.email})` : actor.userId;
  return { kind: "user", id: actor.userId, name };
}

const randomToken = () => randomBytes(32).toString("base64url");

export interface InvitationFor {
  userId: string;
  organizationId: string;
  role: InvitationRole | null;
  invitedBy: Inviter | null;
}

/**
 * Issues a single-use, expiring invitation link of one organization. Only the token's hash is
 * stored; it replaces (revokes) the user's outstanding invitations of that organization. With
 * `renew`, that invitation gets the new token and expiry instead (a resend: the old link stops).
 */
export async function createInvitation(
  tx: Executor,
  config: Pick<Config, "INVITATION_URL" | "INVITATION_TTL_HOURS">,
  invitation: InvitationFor,
  options: { join: boolean; renew?: string },
): Promise<string> {
  const token = randomToken();
  const expiresAt = sql`now() + make_interval(hours => ${config.INVITATION_TTL_HOURS})`;
  if (options.renew) {
    await tx
      .update(invitations)
      .set({ tokenHash: hashInvitationToken(token), expiresAt, sentAt: sql`now()` })
      .where(byKey(invitations, { organizationId: invitation.organizationId, id: options.renew }));
    return invitationUrl(config, token, options.join);
  }
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.userId, invitation.userId),
        eq(invitations.organizationId, invitation.organizationId),
        isNull(invitations.usedAt),
        isNull(invitations.revokedAt),
      ),
    );
  await tx.insert(invitations).values({
    id: newId(),
    userId: invitation.userId,
    organizationId: invitation.organizationId,
    role: invitation.role,
    invitedById: invitation.invitedBy?.id ?? null,
    invitedByKind: invitation.invitedBy?.kind ?? null,
    tokenHash: hashInvitationToken(token),
    expiresAt,
  });
  return invitationUrl(config, token, options.join);
}

/** The page an invitation opens; `join`: the account has a password, so the page only asks to accept. */
export function invitationUrl(config: Pick<Config, "INVITATION_URL">, token: string, join: boolean): string {
  const url = new URL(config.INVITATION_URL);
  url.searchParams.set("token", token);
  if (join) url.searchParams.set("join", "1");
  return url.toString();
}

/** A single-use link that takes the user out of the organization (and, with `block`, stops its mail). */
async function createLeaveLink(
  tx: Executor,
  config: Pick<Config, "PUBLIC_URL">,
  userId: string,
  organizationId: string,
) {
  const token = randomToken();
  await tx.insert(leaveLinks).values({
    id: newId(),
    userId,
    organizationId,
    tokenHash: hashInvitationToken(token),
    expiresAt: sql`now() + make_interval(days => ${leaveLinkDays})`,
  });
  const url = new URL(`${config.PUBLIC_URL}/leave-organization`);
  // Not `token`: the first token= of a mail is its invitation link, as clients and tests read it.
  url.searchParams.set("key", token);
  const leaveUrl = url.toString();
  url.searchParams.set("block", "1");
  return { leaveUrl, blockUrl: url.toString() };
}

export interface PersonMail {
  user: UserRow;
  /** The organizations the message is about; the first one owns the message. */
  organizationIds: readonly string[];
  /** Include a password link when the user has no password yet. */
  invite: boolean;
  /** What the person holds by the change the mail is about; kept on the invitation. */
  role: InvitationRole;
  invitedBy: Inviter;
  /** A new membership of the first organization: the mail says who added the person and carries a way out. */
  announce?: boolean;
  /** The membership waits for the person's consent: the invitation link accepts it. */
  pending?: boolean;
  /** An invitation sent again: it gets the mail's new link instead of a new invitation being made. */
  renewInvitation?: string;
  render: (data: PersonMailData) => RenderedMail;
}

export const roleNames: Record<InvitationRole, string> = {
  Member: "a member",
  Admin: "an administrator",
  SalesRep: "a sales rep",
};

/**
 * Queues an e-mail to a person about one or more organizations, in the transaction of the change
 * it announces: the names, the links and the message are made here and nowhere else.
 */
export async function mailPerson(tx: Executor, config: LinkConfig, mail: PersonMail): Promise<void> {
  const rows = await tx
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(inArray(organizations.id, [...mail.organizationIds]));
  const names = mail.organizationIds.map((id) => rows.find((row) => row.id === id)!.name);
  const organizationName = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0]!;
  const organizationId = mail.organizationIds[0]!;
  const needsPassword = mail.invite && !mail.user.passwordHash;
  const invitationLink =
    needsPassword || mail.pending || mail.renewInvitation
      ? await createInvitation(
          tx,
          config,
          { userId: mail.user.id, organizationId, role: mail.role, invitedBy: mail.invitedBy },
          { join: !needsPassword, renew: mail.renewInvitation },
        )
      : undefined;
  const notice = mail.announce
    ? {
        addedBy: mail.invitedBy.name,
        roleName: roleNames[mail.role],
        pending: mail.pending ?? false,
        ...(await createLeaveLink(tx, config, mail.user.id, organizationId)),
      }
    : undefined;
  await enqueueMail(
    tx,
    {
      to: mail.user.email,
      organizationId,
      ...mail.render({
        firstName: mail.user.firstName,
        organizationName,
        acceptUrl: needsPassword ? invitationLink : undefined,
        joinUrl: needsPassword ? undefined : invitationLink,
        signInUrl: signInUrl(config),
        notice,
      }),
    },
    recipientCaps(config),
  );
}

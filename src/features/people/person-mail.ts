import { createHash, randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Config } from "../../config.js";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { enqueueMail } from "../../mail/outbox.js";
import type { RenderedMail } from "../../mail/templates.js";
import { invitations } from "../invitations/invitations.tables.js";
import { organizations } from "../organizations/organizations.tables.js";
import type { UserRow } from "../users/users.tables.js";

/** What every e-mail to a person about an organization is rendered from. */
export interface PersonMailData {
  firstName: string;
  /** The organization's name, or several joined as "A, B and C". */
  organizationName: string;
  /** A single-use link to choose a password, while the user has none and an invitation was asked for. */
  acceptUrl?: string;
  signInUrl: string;
}

type LinkConfig = Pick<Config, "SIGN_IN_URL" | "INVITATION_URL" | "INVITATION_TTL_HOURS">;

export const hashInvitationToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Where e-mails send a person who already has a password: the built-in page, or a front end's. */
export function signInUrl(config: Pick<Config, "SIGN_IN_URL">): string {
  return config.SIGN_IN_URL;
}

/**
 * Issues a single-use, expiring link for the user to set a password. Only the token's hash is
 * stored; a newer invitation replaces the user's outstanding ones.
 */
async function createInvitation(tx: Executor, config: LinkConfig, userId: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx
    .update(invitations)
    .set({ usedAt: sql`now()` })
    .where(and(eq(invitations.userId, userId), isNull(invitations.usedAt)));
  await tx.insert(invitations).values({
    id: newId(),
    userId,
    tokenHash: hashInvitationToken(token),
    expiresAt: sql`now() + make_interval(hours => ${config.INVITATION_TTL_HOURS})`,
  });
  const url = new URL(config.INVITATION_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

export interface PersonMail {
  user: UserRow;
  /** The organizations the message is about; the first one owns the message. */
  organizationIds: readonly string[];
  /** Include a password link when the user has no password yet. */
  invite: boolean;
  render: (data: PersonMailData) => RenderedMail;
}

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
  const acceptUrl =
    mail.invite && !mail.user.passwordHash ? await createInvitation(tx, config, mail.user.id) : undefined;
  await enqueueMail(tx, {
    to: mail.user.email,
    organizationId: mail.organizationIds[0],
    ...mail.render({ firstName: mail.user.firstName, organizationName, acceptUrl, signInUrl: signInUrl(config) }),
  });
}

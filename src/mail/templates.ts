export interface RenderedMail {
  template: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface Link {
  label: string;
  url: string;
}

/** Plain paragraphs and links, rendered as text and as HTML from the same lines. */
function render(template: string, subject: string, paragraphs: string[], ...links: Link[]): RenderedMail {
  const textLines = [...paragraphs, ...links.map((link) => `${link.label}: ${link.url}`)];
  const htmlParts = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  for (const link of links) htmlParts.push(`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`);
  return { template, subject, text: textLines.join("\n\n"), html: htmlParts.join("\n") };
}

/** What a mail announcing a new membership adds: who made it, as what, and the person's way out. */
export interface MembershipNoticeData {
  addedBy: string;
  /** "an administrator", "a member", "a sales rep". */
  roleName: string;
  /** The membership waits for the person to accept it. */
  pending: boolean;
  leaveUrl: string;
  blockUrl: string;
}

interface NoticeInput {
  organizationName: string;
  notice?: MembershipNoticeData;
}

/** The paragraphs and links every membership mail carries, so a person added by a stranger can leave. */
function noticeOf(input: NoticeInput): { paragraphs: string[]; links: Link[] } {
  const { notice, organizationName } = input;
  if (!notice) return { paragraphs: [], links: [] };
  return {
    paragraphs: [
      notice.pending
        ? `${notice.addedBy} invited you to ${organizationName} as ${notice.roleName}. You are not a member until you accept.`
        : `${notice.addedBy} added you to ${organizationName} as ${notice.roleName}.`,
      notice.pending
        ? `If you do not want to join, decline; to hear nothing more from ${organizationName}, decline and block its e-mail.`
        : `If you did not expect this, leave ${organizationName}; to hear nothing more from it, leave and block its e-mail.`,
    ],
    links: [
      { label: notice.pending ? `Decline ${organizationName}` : `Leave ${organizationName}`, url: notice.leaveUrl },
      {
        label: `${notice.pending ? "Decline" : "Leave"} and block e-mail from ${organizationName}`,
        url: notice.blockUrl,
      },
    ],
  };
}

interface PersonInput extends NoticeInput {
  firstName: string;
  /** A link to choose a password (it accepts a pending membership too). */
  acceptUrl?: string;
  /** A link to accept a pending membership, for an account that has a password. */
  joinUrl?: string;
  signInUrl: string;
}

/** The first link: choose a password, accept a pending membership, or sign in. */
function mainLink(input: PersonInput): Link {
  if (input.acceptUrl) return { label: "Set your password", url: input.acceptUrl };
  if (input.joinUrl) return { label: "Accept the invitation", url: input.joinUrl };
  return { label: "Sign in", url: input.signInUrl };
}

function personMail(template: string, subject: string, input: PersonInput, paragraphs: string[], choose: string) {
  const notice = noticeOf(input);
  const all = [`Hello ${input.firstName},`, ...paragraphs, ...(input.acceptUrl ? [choose] : []), ...notice.paragraphs];
  return render(template, subject, all, mainLink(input), ...notice.links);
}

export function adminWelcome(input: PersonInput): RenderedMail {
  return personMail(
    "admin-welcome",
    `You are now an administrator of ${input.organizationName}`,
    input,
    [`You have been made an administrator of ${input.organizationName}.`],
    "Choose a password to sign in.",
  );
}

export function userInvitation(input: PersonInput): RenderedMail {
  return personMail(
    "user-invitation",
    `You are invited to ${input.organizationName}`,
    input,
    [`You have been given an account with ${input.organizationName}.`],
    "Choose a password to finish setting it up.",
  );
}

export function salesRepInvitation(input: PersonInput & { again?: boolean }): RenderedMail {
  const template = input.again ? "sales-rep-reinvitation" : "sales-rep-invitation";
  const subject = input.again
    ? `Your sales rep access to ${input.organizationName} is restored`
    : `You are a sales rep for ${input.organizationName}`;
  return personMail(
    template,
    subject,
    input,
    [
      input.again
        ? `Your access as a sales rep for ${input.organizationName} has been restored.`
        : `You have been added as a sales rep for ${input.organizationName}.`,
    ],
    "Choose a password to sign in.",
  );
}

/** The mail of a pending invitation sent again by an admin (resendInvitation). */
export function invitationReminder(input: PersonInput & { roleName: string }): RenderedMail {
  return personMail(
    "invitation-reminder",
    `Your invitation to ${input.organizationName}`,
    input,
    [`You are invited to ${input.organizationName} as ${input.roleName}.`],
    "Choose a password to accept it.",
  );
}

export function webhookEndpointDisabled(input: {
  organizationName: string;
  url: string;
  reason: string;
}): RenderedMail {
  return render("webhook-endpoint-disabled", `A webhook endpoint of ${input.organizationName} was disabled`, [
    `The webhook endpoint ${input.url} of ${input.organizationName} was disabled: ${input.reason}.`,
    "No events are sent to it until an administrator enables it again (updateWebhookEndpoint with enabled: true).",
  ]);
}

/** A single-use link to choose a new password; asked for, or sent because the account got locked. */
export function passwordReset(input: {
  firstName: string;
  resetUrl: string;
  ttlMinutes: number;
  /** Sent because failed sign-ins locked the account, not because anyone asked. */
  locked?: boolean;
}): RenderedMail {
  const opening = input.locked
    ? "Several wrong passwords in a row locked sign-in to your account for a while. If it was not you, someone may be guessing: choose a new password with this link."
    : "Someone (we hope you) asked to reset the password of your account. Choose a new one with this link.";
  return render(
    input.locked ? "account-locked" : "password-reset",
    input.locked ? "Sign-in to your account was locked" : "Reset your password",
    [
      `Hello ${input.firstName},`,
      opening,
      `The link works once, for ${input.ttlMinutes} minutes. Using it signs out every session of the account.`,
      "If you did not ask for this, ignore this e-mail: your password stays as it is.",
    ],
    { label: "Choose a new password", url: input.resetUrl },
  );
}

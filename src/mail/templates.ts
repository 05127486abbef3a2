export interface RenderedMail {
  template: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Plain paragraphs and an optional link, rendered as text and as HTML from the same lines. */
function render(
  template: string,
  subject: string,
  paragraphs: string[],
  link?: { label: string; url: string },
): RenderedMail {
  const textLines = [...paragraphs, ...(link ? [`${link.label}: ${link.url}`] : [])];
  const htmlParts = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  if (link) htmlParts.push(`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`);
  return { template, subject, text: textLines.join("\n\n"), html: htmlParts.join("\n") };
}

export function adminWelcome(input: { firstName: string; organizationName: string; signInUrl: string }): RenderedMail {
  return render(
    "admin-welcome",
    `You are now an administrator of ${input.organizationName}`,
    [`Hello ${input.firstName},`, `You have been made an administrator of ${input.organizationName}.`],
    { label: "Sign in", url: input.signInUrl },
  );
}

export function userInvitation(input: {
  firstName: string;
  organizationName: string;
  acceptUrl?: string;
  signInUrl: string;
}): RenderedMail {
  const paragraphs = [`Hello ${input.firstName},`, `You have been given an account with ${input.organizationName}.`];
  return input.acceptUrl
    ? render(
        "user-invitation",
        `You are invited to ${input.organizationName}`,
        [...paragraphs, "Choose a password to finish setting it up."],
        {
          label: "Set your password",
          url: input.acceptUrl,
        },
      )
    : render("user-invitation", `You are invited to ${input.organizationName}`, paragraphs, {
        label: "Sign in",
        url: input.signInUrl,
      });
}

export function salesRepInvitation(input: {
  firstName: string;
  organizationName: string;
  acceptUrl?: string;
  signInUrl: string;
  again?: boolean;
}): RenderedMail {
  const template = input.again ? "sales-rep-reinvitation" : "sales-rep-invitation";
  const subject = input.again
    ? `Your sales rep access to ${input.organizationName} is restored`
    : `You are a sales rep for ${input.organizationName}`;
  const paragraphs = [
    `Hello ${input.firstName},`,
    input.again
      ? `Your access as a sales rep for ${input.organizationName} has been restored.`
      : `You have been added as a sales rep for ${input.organizationName}.`,
  ];
  return input.acceptUrl
    ? render(template, subject, [...paragraphs, "Choose a password to sign in."], {
        label: "Set your password",
        url: input.acceptUrl,
      })
    : render(template, subject, paragraphs, { label: "Sign in", url: input.signInUrl });
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

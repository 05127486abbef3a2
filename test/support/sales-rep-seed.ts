import type { Client } from "./http.js";
import type { PostmarkStandIn } from "./postmark-stand-in.js";
import { accessToken, password, signIn, unique, uniqueEmail, type SeededOrganization } from "./seed.js";

export interface AddedRep {
  organizationId: string;
  organizationName: string;
  organizationSalesRepId: string;
  salesRepId: string;
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string | null;
  repNumber: string;
  identityProvider: string;
  identityProviderUserId: string;
}

/** PUT /api/organizations/salesreps as the organization's admin; fails the test unless 200. */
export async function addRep(
  client: Client,
  org: SeededOrganization,
  fields: Record<string, unknown> = {},
): Promise<AddedRep> {
  const result = await client.put("/api/organizations/salesreps", {
    token: org.adminToken,
    body: {
      firstName: "Jane",
      lastName: "Smith",
      email: uniqueEmail("rep"),
      phoneNumber: "555-555-5555",
      repNumber: unique("REP"),
      roles: ["SalesRep"],
      ...fields,
    },
  });
  if (result.status !== 200) throw new Error(`add sales rep failed: ${result.status} ${result.text}`);
  return result.body as AddedRep;
}

/** The `token` of the newest invitation link e-mailed to `address`. */
export async function invitationToken(postmark: PostmarkStandIn, address: string, count = 1): Promise<string> {
  const mails = await postmark.waitFor(address, count);
  const link = /[?&]token=([\w-]+)/.exec(mails[count - 1]!.TextBody);
  if (!link) throw new Error(`no invitation link in the e-mail to ${address}`);
  return link[1]!;
}

/**
 * Accepts the rep's invitation e-mail (the `mails`-th, as a newer invitation replaces older links),
 * signs it in and enriches its token for the organization.
 */
export async function repAccessToken(
  client: Client,
  postmark: PostmarkStandIn,
  email: string,
  org: SeededOrganization,
  mails = 1,
): Promise<string> {
  const token = await invitationToken(postmark, email, mails);
  const accepted = await client.post("/api/auth/invitations/accept", { body: { Token: token, Password: password } });
  if (accepted.status !== 200) throw new Error(`accept invitation failed: ${accepted.status} ${accepted.text}`);
  return accessToken(client, await signIn(client, email), org.identityOrganizationId);
}

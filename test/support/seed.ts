import { randomBytes } from "node:crypto";
import type { Client } from "./http.js";

export const unique = (prefix = "t") => `${prefix}-${randomBytes(5).toString("hex")}`;
export const uniqueEmail = (prefix = "user") => `${unique(prefix)}@example.com`;
export const password = "Quiet-Harbor-Lantern-42";

export interface SeededOrganization {
  organizationId: string;
  identityOrganizationId: string;
  name: string;
  admin: { email: string; password: string; userId: string };
  /** An Admin access token for the organization. */
  adminToken: string;
}

export async function signIn(client: Client, email: string, pass = password): Promise<string> {
  const result = await client.post("/api/auth/sign-in", { body: { Email: email, Password: pass } });
  if (result.status !== 200) throw new Error(`sign-in failed: ${result.status} ${result.text}`);
  return result.body.AccessToken as string;
}

export async function accessToken(
  client: Client,
  identityToken: string,
  identityOrganizationId: string,
  customerNumber?: string,
) {
  const result = await client.post("/api/auth/access", {
    token: identityToken,
    body: {
      IdentityOrganizationId: identityOrganizationId,
      ...(customerNumber ? { CustomerNumber: customerNumber } : {}),
    },
  });
  if (result.status !== 200) throw new Error(`access failed: ${result.status} ${result.text}`);
  return result.body.AccessToken as string;
}

/** Decodes a JWT's claims without verifying it, to assert on what a client would read. */
export function claims(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

/** Creates an organization through the public route, signs its admin in and enriches the token. */
export async function seedOrganization(client: Client, name = unique("Org")): Promise<SeededOrganization> {
  const email = uniqueEmail("admin");
  const created = await client.post("/api/organizations", {
    body: {
      Organization: { Name: name, BillingCity: "Miami", Email: "billing@example.com" },
      User: { FirstName: "Ada", LastName: "Admin", Email: email, Password: password },
    },
  });
  if (created.status !== 200) throw new Error(`create organization failed: ${created.status} ${created.text}`);
  const identity = await signIn(client, email);
  const adminToken = await accessToken(client, identity, created.body.IdentityOrganizationId);
  return {
    organizationId: created.body.OrganizationId,
    identityOrganizationId: created.body.IdentityOrganizationId,
    name,
    admin: { email, password, userId: claims(adminToken).UserId },
    adminToken,
  };
}

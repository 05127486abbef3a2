import type { Client } from "./http.js";
import { seedOrganization, unique, type SeededOrganization } from "./seed.js";

export interface Member {
  userId: string;
  email: string;
}

/**
 * Makes an existing account a plain (non-admin) member of `org` through the public routes: made an
 * admin and demoted again, which keeps the membership.
 */
export async function addMember(client: Client, org: SeededOrganization, member: Member): Promise<void> {
  const assigned = await client.post("/api/organizations/users/admins", {
    token: org.adminToken,
    body: { Email: member.email },
  });
  if (assigned.status !== 200) throw new Error(`assign admin failed: ${assigned.status} ${assigned.text}`);
  const demoted = await client.delete("/api/organizations/users/admins", {
    token: org.adminToken,
    body: { UserId: member.userId },
  });
  if (demoted.status !== 200) throw new Error(`remove admin failed: ${demoted.status} ${demoted.text}`);
}

/** A new account (from a sign-up of its own) that is a plain member of `org`. */
export async function seedMember(client: Client, org: SeededOrganization): Promise<Member> {
  const person = await seedOrganization(client);
  const member = { userId: person.admin.userId, email: person.admin.email };
  await addMember(client, org, member);
  return member;
}

export async function seedCustomer(client: Client, org: SeededOrganization, fields: Record<string, unknown> = {}) {
  const result = await client.put("/api/customers", {
    token: org.adminToken,
    body: { customerNumber: unique("C"), companyName: unique("Company"), ...fields },
  });
  if (result.status !== 200) throw new Error(`upsert customer failed: ${result.status} ${result.text}`);
  return result.body as { id: string; customerNumber: string; companyName: string };
}

export async function associate(client: Client, org: SeededOrganization, userId: string, customerNumber: string) {
  const result = await client.post("/api/organizations/users/associate-customer", {
    token: org.adminToken,
    body: { UserId: userId, CustomerNumber: customerNumber },
  });
  if (result.status !== 200) throw new Error(`associate failed: ${result.status} ${result.text}`);
}

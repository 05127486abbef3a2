import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { clientRoles, type Role } from "../../auth/roles.js";
import type { Database } from "../../db/client.js";
import type { RequestContext } from "../../context.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { hashClientSecret, newClientId, newClientSecret, secretMatches } from "./api-client-secrets.js";
import { apiClients } from "./api-clients.tables.js";
import type { CreateApiClientInput } from "./api-clients.types.js";

export type ApiClientRow = typeof apiClients.$inferSelect;

/** Active clients per organization: enough for every integration, few enough to review. */
export const maxActiveClients = 25;

const activeIn = (organizationId: string) =>
  and(eq(apiClients.organizationId, organizationId), isNull(apiClients.revokedAt));

/** Creates a client; its secret is in the answer and nowhere else. */
export async function createApiClient(
  ctx: RequestContext,
  input: CreateApiClientInput,
): Promise<{ client: ApiClientRow; clientSecret: string }> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const name = check.text("name", input.name, { max: 100 });
  const roles = clientRolesOf(check, input.roles);
  check.done();
  const [active] = await ctx.db.select({ n: count() }).from(apiClients).where(activeIn(organizationId));
  if (active!.n >= maxActiveClients) {
    throw new ConflictError(`The organization already has ${maxActiveClients} active API clients; revoke one first`);
  }
  const clientSecret = newClientSecret();
  const [client] = await ctx.db
    .insert(apiClients)
    .values({ id: newClientId(), organizationId, name, roles, secretHash: hashClientSecret(clientSecret) })
    .returning();
  return { client: client!, clientSecret };
}

function clientRolesOf(check: InputCheck, given: readonly string[]): Role[] {
  if (given.length === 0) check.fail("roles", "must name at least one role");
  const roles = new Set<Role>();
  given.forEach((value, index) => {
    const role = clientRoles.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase());
    if (role) roles.add(role);
    else
      check.fail(`roles[${index}]`, `must be one of ${clientRoles.join(", ")}: an API client cannot act as a person`);
  });
  return [...roles];
}

/** The organization's clients that are not revoked, oldest first; never their secrets. */
export async function listApiClients(ctx: RequestContext): Promise<ApiClientRow[]> {
  const organizationId = await ctx.auth.organizationId();
  return ctx.db
    .select()
    .from(apiClients)
    .where(activeIn(organizationId))
    .orderBy(asc(apiClients.createdAt), asc(apiClients.id));
}

/** Revokes a client of the caller's organization; its tokens are refused from the next request. */
export async function revokeApiClient(ctx: RequestContext, id: string): Promise<boolean> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const clientId = check.text("id", id, { max: 100 });
  check.done();
  const revoked = await ctx.db
    .update(apiClients)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiClients.id, clientId), activeIn(organizationId)))
    .returning({ id: apiClients.id });
  // Another organization's client gets the same answer as one that does not exist.
  if (revoked.length === 0) throw new NotFoundError(`No active API client ${clientId} exists in your organization`);
  return true;
}

/** The active client these credentials authenticate, its last use recorded; undefined when they do not. */
export async function authenticateClient(
  db: Database,
  clientId: string,
  clientSecret: string,
): Promise<ApiClientRow | undefined> {
  const [client] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.id, clientId), isNull(apiClients.revokedAt)));
  if (!client || !secretMatches(clientSecret, client.secretHash)) return undefined;
  await db
    .update(apiClients)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(apiClients.id, client.id));
  return client;
}

import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { builtInRolePermissions, heldPermissions, needsPerson } from "../../auth/permissions.js";
import { clientRoles, isRole, roles, type Role } from "../../auth/roles.js";
import type { Database, Executor } from "../../db/client.js";
import type { RequestContext } from "../../context.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import { assertMayGrant, rolesOfSide } from "../roles/role-lookup.js";
import { hashClientSecret, newClientId, newClientSecret, secretMatches } from "./api-client-secrets.js";
import { apiClients } from "./api-clients.tables.js";
import type { CreateApiClientInput } from "./api-clients.types.js";
import { byKey } from "../../db/tenant-key.js";

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
  const roles = await clientRolesOf(ctx, ctx.db, check, organizationId, input.roles);
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

/**
 * The roles a client may be given: Admin, and custom seller roles whose permissions need no
 * person. The caller must hold every permission it gives (no escalation through a machine).
 */
async function clientRolesOf(
  ctx: RequestContext,
  db: Executor,
  check: InputCheck,
  organizationId: string,
  given: readonly string[],
): Promise<string[]> {
  if (given.length === 0) check.fail("roles", "must name at least one role");
  const builtIn = new Set<Role>();
  const keys: { key: string; index: number }[] = [];
  given.forEach((value, index) => {
    const named = roles.find((role) => role.toLowerCase() === value.trim().toLowerCase());
    const role = clientRoles.find((candidate) => candidate === named);
    if (role) builtIn.add(role);
    else if (named) {
      check.fail(`roles[${index}]`, `must be one of ${clientRoles.join(", ")}: an API client cannot act as a person`);
    } else keys.push({ key: value, index });
  });
  const custom = await rolesOfSide(
    db,
    check,
    "roles",
    organizationId,
    keys.map((k) => k.key),
    "seller",
  );
  for (const role of custom) {
    const personal = role.permissions.filter(needsPerson);
    const index = keys.find((k) => k.key.trim().toLowerCase() === role.key)?.index ?? 0;
    if (personal.length > 0) {
      check.fail(`roles[${index}]`, `holds ${personal.join(", ")}, which needs a person: an API client cannot hold it`);
    }
  }
  check.done();
  const grant = await ctx.auth.access();
  const builtInSets = [...builtIn].map((role) => ({ permissions: builtInRolePermissions[role] }));
  assertMayGrant(grant.permissions, [...builtInSets, ...custom]);
  return [...builtIn, ...custom.map((role) => role.key)];
}

/** Gives an active client exactly these roles; its tokens carry the new set from their next exchange. */
export async function setApiClientRoles(ctx: RequestContext, id: string, given: string[]): Promise<ApiClientRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const clientId = check.text("id", id, { max: 100 });
  check.done();
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(apiClients)
      .where(and(eq(apiClients.id, clientId), activeIn(organizationId)))
      .for("update");
    if (!before) throw new NotFoundError(`No active API client ${clientId} exists in your organization`);
    const rolesCheck = new InputCheck();
    const next = await clientRolesOf(ctx, tx, rolesCheck, organizationId, given);
    // Taking a role away counts as giving it: the caller must hold it too.
    const dropped = before.roles.filter((role) => !next.includes(role));
    if (dropped.length > 0) await clientRolesOf(ctx, tx, new InputCheck(), organizationId, dropped);
    const [client] = await tx.update(apiClients).set({ roles: next }).where(byKey(apiClients, before)).returning();
    await recordChange(tx, ctx, {
      operation: "setApiClientRoles",
      targetIds: [before.id],
      before: { roles: before.roles },
      after: { roles: next },
    });
    return client!;
  });
}

/**
 * The claims of a client token for the roles granted: the built-in ones as Roles, and every
 * permission they add up to, custom roles' included.
 */
export async function clientTokenClaims(db: Database, client: ApiClientRow, granted: readonly string[]) {
  const builtIn = granted.filter(isRole);
  const custom = await rolesOfSide(
    db,
    new InputCheck(),
    "roles",
    client.organizationId,
    granted.filter((role) => !isRole(role)),
    "seller",
  );
  const permissions = heldPermissions({
    roles: builtIn,
    sellerPermissions: custom.flatMap((role) => role.permissions),
    buyerRoleKeys: null,
    buyerPermissions: [],
    client: true,
  });
  return { roles: builtIn, permissions };
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
export async function revokeApiClient(ctx: RequestContext, id: string): Promise<ApiClientRow> {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const clientId = check.text("id", id, { max: 100 });
  check.done();
  const [revoked] = await ctx.db
    .update(apiClients)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiClients.id, clientId), activeIn(organizationId)))
    .returning();
  // Another organization's client gets the same answer as one that does not exist.
  if (!revoked) throw new NotFoundError(`No active API client ${clientId} exists in your organization`);
  return revoked;
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
    .where(byKey(apiClients, client));
  return client;
}

import { and, eq, isNotNull, isNull, lt, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { AccountDirectory, HeldRoles } from "../../auth/principal.js";
import { heldPermissions } from "../../auth/permissions.js";
import { isRole, type Role } from "../../auth/roles.js";
import type { SessionClaims } from "../../auth/tokens.js";
import type { Database } from "../../db/client.js";
import { apiClients } from "../api-clients/api-clients.tables.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { customers } from "../customers/customers.tables.js";
import { organizationUsers } from "../organizations/organizations.tables.js";
import { inReach } from "../customers/customer-reach.js";
import { customRoles } from "../roles/roles.tables.js";
import { organizationSalesReps, salesReps } from "../sales-reps/sales-reps.tables.js";
import { findUserByEmail } from "../people/people.js";
import { users } from "../users/users.tables.js";
import { revokedSessions } from "./sessions.tables.js";

/**
 * Whether the token's session is signed out: every session of the user after the token was
 * issued, or this one by name. Part of the statement that reads the user, so it costs no round trip.
 */
function sessionRevoked(db: Database, sessionId: unknown, issuedAt: unknown) {
  return sql<boolean>`(${users.sessionsValidAfter} is not null and ${users.sessionsValidAfter} > to_timestamp(${issuedAt}::double precision / 1000)) or exists(${db
    .select({ one: sql`1` })
    .from(revokedSessions)
    .where(sql`${revokedSessions.sessionId} = ${sessionId}::text`)})`;
}

/** Answers auth's questions about accounts from the tables that hold them. */
export function accountDirectory(db: Database): AccountDirectory {
  const roleQueries = { plain: userRoleQuery(db, false), acting: userRoleQuery(db, true) };
  const userQuery = db
    .select({
      userId: users.id,
      email: users.email,
      sessionRevoked: sessionRevoked(db, sql.placeholder("sessionId"), sql.placeholder("issuedAt")),
    })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare("user_session");
  return {
    async findUser(userId, session) {
      const [user] = await userQuery.execute({ userId, ...session });
      return user ?? null;
    },

    async resolveExternal(subject, email) {
      const [linked] = await db
        .select({ userId: users.id, email: users.email })
        .from(users)
        .where(eq(users.externalSubject, subject));
      if (linked) return linked;
      if (!email) return null;
      const user = await findUserByEmail(db, email);
      if (!user || (user.externalSubject && user.externalSubject !== subject)) return null;
      await db
        .update(users)
        .set({ externalSubject: subject, updatedAt: sql`now()` })
        .where(and(eq(users.id, user.id), isNull(users.externalSubject)));
      return { userId: user.id, email: user.email };
    },

    currentRoles(actor, organizationId, actingCustomer, session) {
      return actor.kind === "user"
        ? userRoles(roleQueries, actor.userId, organizationId, actingCustomer, session)
        : clientRoles(db, actor.clientId, organizationId);
    },
  };
}

/** Last use is written at most this often, so a busy client does not write on every request. */
const lastUseResolution = sql`interval '60 seconds'`;

/**
 * A client's roles while it is not revoked, in one statement that also records its last use when
 * the recorded one is older than a minute.
 */
async function clientRoles(db: Database, clientId: string, organizationId: string): Promise<HeldRoles | null> {
  const live = and(
    eq(apiClients.id, clientId),
    eq(apiClients.organizationId, organizationId),
    isNull(apiClients.revokedAt),
  );
  const touch = db.$with("touch").as(
    db
      .update(apiClients)
      .set({ lastUsedAt: sql`now()` })
      .where(and(live, or(isNull(apiClients.lastUsedAt), lt(apiClients.lastUsedAt, sql`now() - ${lastUseResolution}`))))
      .returning({ id: apiClients.id }),
  );
  const [row] = await db
    .with(touch)
    .select({ roles: apiClients.roles, sellerPermissions: customRolePermissions(apiClients.roles, "seller") })
    .from(apiClients)
    .where(live);
  // A client acts for no customer: it has no association and no rep scope.
  if (!row) return null;
  const roles = row.roles.filter(isRole);
  const permissions = heldPermissions({
    roles,
    sellerPermissions: row.sellerPermissions,
    buyerRoleKeys: null,
    buyerPermissions: [],
    client: true,
  });
  return { roles, permissions, actingCustomerAllowed: true, sessionRevoked: false };
}

/**
 * The permissions of the custom roles of `side` whose keys `keys` (a text[] column of the outer
 * row) holds, in that row's organization, as one array.
 */
function customRolePermissions(
  keys: AnyColumn,
  side: "seller" | "buyer",
  organizationId: SQL | AnyColumn = apiClients.organizationId,
) {
  return sql<string[]>`coalesce((select array_agg(distinct granted.permission)
    from ${customRoles} cross join unnest(${customRoles.permissions}) as granted(permission)
    where ${customRoles.organizationId} = ${organizationId} and ${customRoles.side} = ${side}
      and ${customRoles.key} = any(${keys})), '{}')`;
}

/**
 * A user's roles in an organization, and whether it may act for the customer its token names, in
 * one statement, built once per database and prepared: it runs on every request that needs a role.
 */
function userRoleQuery(db: Database, withActingCustomer: boolean) {
  const userId = sql.placeholder("userId");
  const organizationId = sql.placeholder("organizationId");
  const actingCustomer = sql.placeholder("actingCustomer");
  return db
    .select({
      sessionRevoked: sessionRevoked(db, sql.placeholder("sessionId"), sql.placeholder("issuedAt")),
      admin: sql<boolean>`exists(${db
        .select({ one: sql`1` })
        .from(organizationUsers)
        .where(
          and(
            eq(organizationUsers.organizationId, organizationId),
            eq(organizationUsers.userId, userId),
            eq(organizationUsers.isAdmin, true),
            isNull(organizationUsers.pendingSince),
          ),
        )})`,
      sellerPermissions: sql<string[]>`coalesce((${db
        .select({
          permissions: customRolePermissions(organizationUsers.roleKeys, "seller", organizationUsers.organizationId),
        })
        .from(organizationUsers)
        .where(
          and(
            eq(organizationUsers.organizationId, organizationId),
            eq(organizationUsers.userId, userId),
            isNull(organizationUsers.pendingSince),
          ),
        )}), '{}')`,
      // Null without an association: the user is no customer here. A pending membership holds no
      // role, whatever an admin linked to it meanwhile.
      buyerRoleKeys: sql<string[] | null>`case when not exists(${db
        .select({ one: sql`1` })
        .from(organizationUsers)
        .where(
          and(
            eq(organizationUsers.organizationId, organizationId),
            eq(organizationUsers.userId, userId),
            isNotNull(organizationUsers.pendingSince),
          ),
        )}) then (${db
        .select({ keys: userCustomers.roleKeys })
        .from(userCustomers)
        .where(and(eq(userCustomers.organizationId, organizationId), eq(userCustomers.userId, userId)))}) end`,
      buyerPermissions: sql<string[]>`coalesce((${db
        .select({ permissions: customRolePermissions(userCustomers.roleKeys, "buyer", userCustomers.organizationId) })
        .from(userCustomers)
        .where(and(eq(userCustomers.organizationId, organizationId), eq(userCustomers.userId, userId)))}), '{}')`,
      salesRep: sql<boolean>`exists(${db
        .select({ one: sql`1` })
        .from(organizationSalesReps)
        .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
        .where(
          and(
            eq(organizationSalesReps.organizationId, organizationId),
            eq(salesReps.userId, userId),
            eq(organizationSalesReps.active, true),
            isNull(organizationSalesReps.pendingSince),
          ),
        )})`,
      actingCustomerAllowed: withActingCustomer
        ? sql<boolean>`exists(${db
            .select({ one: sql`1` })
            .from(customers)
            .where(
              and(
                eq(customers.customerNumber, actingCustomer),
                inReach(db, { userId, organizationId, asBuyer: true, asRep: true }),
              ),
            )})`
        : sql<boolean>`true`,
      creditHold: withActingCustomer
        ? sql<boolean | null>`(${db
            .select({ hold: customers.creditHold })
            .from(customers)
            .where(and(eq(customers.organizationId, organizationId), eq(customers.customerNumber, actingCustomer)))})`
        : sql<boolean | null>`null`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .prepare(withActingCustomer ? "user_roles_acting_customer" : "user_roles");
}

type UserRoleQuery = ReturnType<typeof userRoleQuery>;

const yearThreeThousand = 32_503_680_000_000;

async function userRoles(
  queries: { plain: UserRoleQuery; acting: UserRoleQuery },
  userId: string,
  organizationId: string,
  actingCustomer: string | undefined,
  session: SessionClaims | undefined,
): Promise<HeldRoles | null> {
  const query = actingCustomer ? queries.acting : queries.plain;
  // Without a session (a role check not made for a bearer token) nothing is signed out.
  const { sessionId, issuedAt } = session ?? { sessionId: "", issuedAt: yearThreeThousand };
  const [row] = await query.execute({ userId, organizationId, actingCustomer, sessionId, issuedAt });
  if (!row) return null;
  const roles: Role[] = [];
  if (row.admin) roles.push("Admin");
  if (row.buyerRoleKeys) roles.push("Customer");
  if (row.salesRep) roles.push("SalesRep");
  const permissions = heldPermissions({
    roles,
    sellerPermissions: row.sellerPermissions,
    buyerRoleKeys: row.buyerRoleKeys,
    buyerPermissions: row.buyerPermissions,
    client: false,
  });
  return {
    roles,
    permissions,
    actingCustomerAllowed: row.actingCustomerAllowed,
    sessionRevoked: row.sessionRevoked,
    creditHold: actingCustomer ? row.creditHold === true : undefined,
  };
}

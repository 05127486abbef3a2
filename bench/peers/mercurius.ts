import DataLoader from "dataloader";
import Fastify from "fastify";
import { GraphQLDateTimeISO, GraphQLJSON } from "graphql-scalars";
import mercurius from "mercurius";
import postgres from "postgres";
import { tokenVerifier, type Caller } from "./auth.js";

/**
 * The peer a user would pick instead: Mercurius with graphql-jit, resolvers over the same tables
 * written the usual way (the page in one statement, every relation through a DataLoader made per
 * request), doing the gateway's per-request work: the ES256 token verified with jose and one
 * statement checking the caller is still an admin of the organization. It answers the part of
 * the gateway's schema the bench asks for, with the same JSON.
 */
const sql = postgres(process.env.BENCH_DATABASE_URL!, { max: 10, onnotice: () => undefined });
const verify = await tokenVerifier();

const schema = `
  scalar DateTimeISO
  scalar JSON
  enum AccessType { CUSTOMER ROLE ALL }
  enum SalesRepStatus { ACTIVE INVITED INACTIVE }
  type Query { organizationSalesReps(pageNumber: Int, pageSize: Int): OrganizationSalesRepPage! }
  type OrganizationSalesRepPage { totalCount: Int! items: [OrganizationSalesRep!]! }
  type OrganizationSalesRep {
    id: ID! organizationId: ID! organizationName: String! identityOrganizationId: String! salesRepId: ID! userId: ID!
    repNumber: String! active: Boolean! accessType: AccessType! salesRepRole: String
    firstName: String! lastName: String! email: String! phoneNumber: String
    identityProvider: String! identityProviderUserId: String!
    customerIds: [ID!]! salesRep: SalesRep! createdAt: DateTimeISO! updatedAt: DateTimeISO!
  }
  type SalesRep {
    id: ID! userId: ID! status: SalesRepStatus! verifiedEmail: Boolean!
    firstName: String! lastName: String! email: String! phoneNumber: String
    identityProvider: String! identityProviderUserId: String!
    createdBy: SalesRepCreator metaFields: [SalesRepMetaField!]! assignments: [OrganizationSalesRep!]!
    createdAt: DateTimeISO! updatedAt: DateTimeISO!
  }
  type SalesRepCreator { name: String! type: String! }
  type SalesRepMetaField { id: ID! code: String! value: JSON }
`;

interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string | null;
  identityProvider: string;
  identityProviderUserId: string;
}
interface Assignment extends Person {
  id: string;
  organizationId: string;
  organizationName: string;
  identityOrganizationId: string;
  salesRepId: string;
  userId: string;
  repNumber: string;
  active: boolean;
  accessType: string;
  salesRepRole: string | null;
  createdAt: Date;
  updatedAt: Date;
}
interface Rep extends Person {
  id: string;
  userId: string;
  verifiedEmail: boolean;
  invited: boolean;
  createdBy: { name: string; type: string } | null;
  createdAt: Date;
  updatedAt: Date;
}
interface RepAssignment extends Assignment {
  callerAdministers: boolean;
}

const person = (row: postgres.Row): Person => ({
  firstName: row.first_name,
  lastName: row.last_name,
  email: row.email,
  phoneNumber: row.phone_number,
  identityProvider: row.external_subject ? "oidc" : "builtin",
  identityProviderUserId: row.external_subject ?? row.user_id,
});
const assignment = (row: postgres.Row): Assignment => ({
  ...person(row),
  id: row.id,
  organizationId: row.organization_id,
  organizationName: row.organization_name,
  identityOrganizationId: row.identity_organization_id,
  salesRepId: row.sales_rep_id,
  userId: row.user_id,
  repNumber: row.rep_number,
  active: row.active,
  accessType: String(row.access_type).toUpperCase(),
  salesRepRole: row.sales_rep_role,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
const grouped = <T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] => {
  const byId = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(key(row))?.push(row);
  return ids.map((id) => byId.get(id)!);
};

function loaders(caller: Caller) {
  return {
    customerIds: new DataLoader<string, string[]>(async (ids) => {
      const rows = await sql`select organization_sales_rep_id, customer_id from sales_rep_customers
        where organization_sales_rep_id = any(${sql.array([...ids])}) order by customer_id`;
      return grouped(ids, [...rows], (row) => row.organization_sales_rep_id).map((list) =>
        list.map((row) => row.customer_id as string),
      );
    }),
    rep: new DataLoader<string, Rep>(async (ids) => {
      const rows = await sql`select r.id, r.user_id, r.created_by_name, r.created_by_type, r.created_at, r.updated_at,
          u.first_name, u.last_name, u.email, u.phone_number, u.external_subject, u.email_verified,
          u.password_hash is null and u.external_subject is null as invited
        from sales_reps r join users u on u.id = r.user_id where r.id = any(${sql.array([...ids])})`;
      const byId = new Map(
        rows.map((row) => [
          row.id as string,
          {
            ...person(row),
            id: row.id,
            userId: row.user_id,
            verifiedEmail: row.email_verified,
            invited: row.invited,
            createdBy: row.created_by_name ? { name: row.created_by_name, type: row.created_by_type ?? "user" } : null,
            createdAt: row.created_at,
            updatedAt: row.updated_at,
          } satisfies Rep,
        ]),
      );
      return ids.map((id) => byId.get(id) ?? new Error(`no rep ${id}`));
    }),
    assignments: new DataLoader<string, RepAssignment[]>(async (ids) => {
      const rows = await sql`select x.*, o.name as organization_name, o.identity_organization_id,
          u.id as user_id, u.first_name, u.last_name, u.email, u.phone_number, u.external_subject,
          x.organization_id in (select organization_id from organization_users
            where user_id = ${caller.userId} and is_admin) as caller_administers
        from organization_sales_reps x
        join organizations o on o.id = x.organization_id
        join sales_reps r on r.id = x.sales_rep_id join users u on u.id = r.user_id
        where x.sales_rep_id = any(${sql.array([...ids])}) order by x.created_at, x.id`;
      return grouped(
        ids,
        rows.map((row) => ({ ...assignment(row), callerAdministers: row.caller_administers as boolean })),
        (row) => row.salesRepId,
      );
    }),
    metaFields: new DataLoader<string, { id: string; code: string; value: unknown; salesRepId: string }[]>(
      async (ids) => {
        const rows = await sql`select id, code, value, sales_rep_id from sales_rep_meta_fields
          where sales_rep_id = any(${sql.array([...ids])}) order by code`;
        return grouped(
          ids,
          rows.map((row) => ({ id: row.id, code: row.code, value: row.value, salesRepId: row.sales_rep_id })),
          (row) => row.salesRepId,
        );
      },
    ),
  };
}

interface Context {
  caller: Caller;
  loaders: ReturnType<typeof loaders>;
}

declare module "mercurius" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Mercurius's way to type its context
  interface MercuriusContext extends Context {}
}

const resolvers = {
  DateTimeISO: GraphQLDateTimeISO,
  JSON: GraphQLJSON,
  Query: {
    organizationSalesReps: async (_: unknown, args: { pageNumber?: number; pageSize?: number }, ctx: Context) => {
      const pageSize = args.pageSize ?? 25;
      const offset = ((args.pageNumber ?? 1) - 1) * pageSize;
      const rows = await sql`select a.*, count(*) over () as total,
          o.name as organization_name, o.identity_organization_id,
          u.id as user_id, u.first_name, u.last_name, u.email, u.phone_number, u.external_subject
        from organization_sales_reps a
        join sales_reps r on r.id = a.sales_rep_id join users u on u.id = r.user_id
        join organizations o on o.id = a.organization_id
        where a.organization_id = ${ctx.caller.organizationId}
        order by a.rep_number, a.id limit ${pageSize} offset ${offset}`;
      return { totalCount: Number(rows[0]?.total ?? 0), items: rows.map(assignment) };
    },
  },
  OrganizationSalesRep: {
    customerIds: (parent: Assignment, _: unknown, ctx: Context) => ctx.loaders.customerIds.load(parent.id),
    salesRep: (parent: Assignment, _: unknown, ctx: Context) => ctx.loaders.rep.load(parent.salesRepId),
  },
  SalesRep: {
    status: async (parent: Rep, _: unknown, ctx: Context) => {
      const all = await ctx.loaders.assignments.load(parent.id);
      if (!all.some((each) => each.active)) return "INACTIVE";
      return parent.invited ? "INVITED" : "ACTIVE";
    },
    metaFields: (parent: Rep, _: unknown, ctx: Context) => ctx.loaders.metaFields.load(parent.id),
    assignments: async (parent: Rep, _: unknown, ctx: Context) => {
      const all = await ctx.loaders.assignments.load(parent.id);
      return parent.userId === ctx.caller.userId ? all : all.filter((each) => each.callerAdministers);
    },
  },
};

const app = Fastify({ logger: false });
await app.register(mercurius, {
  schema,
  resolvers,
  jit: 1,
  context: async (request): Promise<Context> => {
    const caller = await verify(request.headers.authorization);
    if (!caller) throw new mercurius.ErrorWithProps("A valid bearer token is required", {}, 401);
    const [admin] = await sql`select exists (select 1 from organization_users
      where organization_id = ${caller.organizationId} and user_id = ${caller.userId} and is_admin) as admin`;
    if (!admin!.admin) throw new mercurius.ErrorWithProps("This operation requires the Admin role", {}, 403);
    return { caller, loaders: loaders(caller) };
  },
});
app.get("/readyz", async () => ({ status: "ok" }));

process.on("SIGTERM", async () => {
  await app.close();
  await sql.end({ timeout: 5 });
  process.exit(0);
});
await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? "127.0.0.1" });

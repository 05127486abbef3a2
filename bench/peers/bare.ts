import Fastify from "fastify";
import postgres from "postgres";
import { tokenVerifier } from "./auth.js";

/**
 * The yardstick: bare Fastify and postgres.js answering the sales rep list with the same JSON the
 * GraphQL queries in run.ts get (enum values by their GraphQL names), each page built by one
 * hand-written, prepared SQL statement that also checks the caller is an admin of the
 * organization. `/reps` answers every nested field, `/reps/flat` the REST route's fields; the
 * query string gives the page size (limit).
 */
const sql = postgres(process.env.BENCH_DATABASE_URL!, { max: 10, onnotice: () => undefined });
const verify = await tokenVerifier();
const app = Fastify({ logger: false });

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const customerIds = (assignment: string) => `(select coalesce(json_agg(customer_id order by customer_id), '[]')
  from sales_rep_customers where organization_sales_rep_id = ${assignment}.id)`;
const callerIsAdmin = `exists (select 1 from organization_users
  where organization_id = $1 and user_id = $2 and is_admin)`;

const page = `
with page as (
  select a.*, count(*) over () as total
  from organization_sales_reps a
  join sales_reps r on r.id = a.sales_rep_id
  join users u on u.id = r.user_id
  where a.organization_id = $1 and ${callerIsAdmin}
  order by a.rep_number, a.id
  limit $3
)`;
const answer = (items: string) => `
select ${callerIsAdmin} as admin, json_build_object('data', json_build_object('organizationSalesReps', json_build_object(
  'totalCount', coalesce(max(p.total), 0),
  'items', coalesce(json_agg(${items} order by p.rep_number, p.id), '[]')
)))::text as body
from page p
join organizations o on o.id = p.organization_id
join sales_reps r on r.id = p.sales_rep_id
join users u on u.id = r.user_id`;

const listSql =
  page +
  answer(`json_build_object(
    'id', p.id, 'organizationId', p.organization_id, 'organizationName', o.name,
    'identityOrganizationId', o.identity_organization_id, 'salesRepId', p.sales_rep_id, 'userId', u.id,
    'repNumber', p.rep_number, 'active', p.active, 'accessType', upper(p.access_type),
    'firstName', u.first_name, 'lastName', u.last_name, 'email', u.email, 'phoneNumber', u.phone_number,
    'identityProvider', case when u.external_subject is null then 'builtin' else 'oidc' end,
    'identityProviderUserId', coalesce(u.external_subject, u.id),
    'customerIds', ${customerIds("p")},
    'createdAt', ${iso("p.created_at")}, 'updatedAt', ${iso("p.updated_at")},
    'salesRep', json_build_object(
      'id', r.id, 'userId', u.id,
      'status', case when not exists (select 1 from organization_sales_reps x where x.sales_rep_id = r.id and x.active)
        then 'INACTIVE' when u.password_hash is null and u.external_subject is null then 'INVITED' else 'ACTIVE' end,
      'verifiedEmail', u.email_verified, 'email', u.email, 'firstName', u.first_name, 'lastName', u.last_name,
      'phoneNumber', u.phone_number,
      'identityProvider', case when u.external_subject is null then 'builtin' else 'oidc' end,
      'identityProviderUserId', coalesce(u.external_subject, u.id),
      'createdAt', ${iso("r.created_at")}, 'updatedAt', ${iso("r.updated_at")},
      'createdBy', case when r.created_by_name is null then null
        else json_build_object('name', r.created_by_name, 'type', r.created_by_type) end,
      'metaFields', (select coalesce(json_agg(json_build_object('id', m.id, 'code', m.code, 'value', m.value)
        order by m.code), '[]') from sales_rep_meta_fields m where m.sales_rep_id = r.id),
      'assignments', (select coalesce(json_agg(json_build_object(
          'id', x.id, 'organizationId', x.organization_id, 'organizationName', xo.name, 'repNumber', x.rep_number,
          'active', x.active, 'accessType', upper(x.access_type), 'customerIds', ${customerIds("x")})
        order by x.created_at, x.id), '[]')
        from organization_sales_reps x join organizations xo on xo.id = x.organization_id
        where x.sales_rep_id = r.id and (r.user_id = $2 or x.organization_id in
          (select organization_id from organization_users where user_id = $2 and is_admin)))
    )
  )`);

const flatSql =
  page +
  answer(`json_build_object(
    'organizationId', p.organization_id, 'organizationSalesRepId', p.id, 'salesRepId', p.sales_rep_id,
    'firstName', u.first_name, 'lastName', u.last_name, 'email', u.email, 'phoneNumber', u.phone_number,
    'repNumber', p.rep_number, 'active', p.active
  )`);

for (const [path, text] of [
  ["/reps", listSql],
  ["/reps/flat", flatSql],
] as const) {
  app.get(path, async (request, reply) => {
    const caller = await verify(request.headers.authorization);
    if (!caller) return reply.code(401).send({ error: "unauthenticated" });
    const limit = Number((request.query as { limit?: string }).limit ?? 25);
    const [row] = await sql.unsafe(text, [caller.organizationId, caller.userId, limit], { prepare: true });
    if (!row!.admin) return reply.code(403).send({ error: "forbidden" });
    return reply.type("application/json").send(row!.body);
  });
}
app.get("/readyz", async () => ({ status: "ok" }));

process.on("SIGTERM", async () => {
  await app.close();
  await sql.end({ timeout: 5 });
  process.exit(0);
});
await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? "127.0.0.1" });

import type postgres from "postgres";

export interface BenchData {
  organizationId: string;
  adminUserId: string;
  adminToken: string;
  repToken: string;
  repEmail: string;
}

const password = "Quiet-Harbor-Lantern-42";

async function call(base: string, path: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function accessToken(base: string, email: string, identityOrganizationId: string): Promise<string> {
  const identity = (await call(base, "/api/auth/sign-in", { Email: email, Password: password })).AccessToken;
  return (await call(base, "/api/auth/access", { IdentityOrganizationId: identityOrganizationId }, identity))
    .AccessToken;
}

/**
 * Organizations and their admins through the product's own routes; the bulk (300 customers, 200
 * reps with listed customers and meta fields in the first organization, 50 customers and 20 of
 * the same reps in each other one) in one SQL statement per table, which takes well under a second.
 */
export async function seed(base: string, sql: postgres.Sql): Promise<BenchData> {
  const organizations = [];
  for (const name of ["Bench Co", "Other Co", "Third Co"]) {
    const email = `admin@${name.replace(" ", "-").toLowerCase()}.example`;
    const created = await call(base, "/api/organizations", {
      Organization: { Name: name, BillingCity: "Miami", BillingCountry: "US" },
      User: { FirstName: "Ada", LastName: "Admin", Email: email, Password: password },
    });
    organizations.push({ ...created, email });
  }
  const main = organizations[0]!;
  const id = main.OrganizationId as string;
  await sql.begin(async (tx) => {
    await tx`insert into price_tiers (id, organization_id, name, currency_code)
      select substr(md5('tier' || o.id || t.name), 1, 24), o.id, t.name, t.currency
      from organizations o, (values ('Retail', 'USD'), ('Wholesale', 'EUR'), ('Distributor', 'CAD')) t(name, currency)`;
    await tx`insert into customers (id, organization_id, customer_number, company_name, company_email, company_phone,
        price_tier_id, rep_number, terms, customer_attributes)
      select substr(md5('customer' || o.id || i), 1, 24), o.id, 'C-' || lpad(i::text, 4, '0'), 'Company ' || i,
        'c' || i || '@example.com', '555-' || i,
        substr(md5('tier' || o.id || (array['Retail', 'Wholesale', 'Distributor'])[1 + i % 3]), 1, 24),
        'R-' || lpad((i % 200)::text, 3, '0'), 'NET30', jsonb_build_object('segment', i % 5)
      from organizations o, generate_series(1, case when o.id = ${id} then 300 else 50 end) i`;
    await tx`insert into users (id, email, first_name, last_name, phone_number)
      select substr(md5('user' || i), 1, 24), 'rep' || i || '@bench.example', 'Rep' || i, 'Last' || i, '555-01' || i
      from generate_series(0, 199) i`;
    await tx`insert into sales_reps (id, user_id, created_by_name, created_by_type)
      select substr(md5('rep' || i), 1, 24), substr(md5('user' || i), 1, 24), 'Ada Admin', 'user'
      from generate_series(0, 199) i`;
    // Rep 0 sees every customer of the first organization: a full page for mySalesRepCustomers.
    await tx`insert into organization_sales_reps (id, organization_id, sales_rep_id, rep_number, access_type)
      select substr(md5('assignment' || o.id || i), 1, 24), o.id, substr(md5('rep' || i), 1, 24),
        'R-' || lpad(i::text, 3, '0'), case when i = 0 and o.id = ${id} then 'all' else 'customer' end
      from organizations o, generate_series(0, 199) i where o.id = ${id} or i < 20`;
    await tx`insert into sales_rep_customers (organization_sales_rep_id, customer_id, organization_id)
      select a.id, c.id, a.organization_id from organization_sales_reps a
      cross join lateral (select id from customers c where c.organization_id = a.organization_id
        order by md5(c.id || a.id) limit 3) c`;
    await tx`insert into sales_rep_meta_fields (id, sales_rep_id, code, value)
      select substr(md5('meta' || i || code), 1, 24), substr(md5('rep' || i), 1, 24), code,
        jsonb_build_object('value', code || ' ' || i)
      from generate_series(0, 199) i, unnest(array['region', 'territory']) code`;
    // Rep 0 can sign in with the admins' password: copy the hash the product wrote.
    await tx`update users set password_hash = (select password_hash from users where email = ${main.email}),
      email_verified = true where email = 'rep0@bench.example'`;
  });
  const [admin] = await sql`select id from users where email = ${main.email}`;
  return {
    organizationId: id,
    adminUserId: admin!.id as string,
    adminToken: await accessToken(base, main.email, main.IdentityOrganizationId),
    repToken: await accessToken(base, "rep0@bench.example", main.IdentityOrganizationId),
    repEmail: "rep1@bench.example",
  };
}

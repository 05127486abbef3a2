import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { decodeJwt } from "jose";
import postgres from "postgres";
import { headersFor, load, median, type LoadResult, type Scenario } from "./load.js";
import { cpuMs, rssMb, startProcess, stopProcess, type Running } from "./processes.js";
import { seed } from "./seed.js";
import { StatementCounter } from "./statement-counter.js";

/**
 * `npm run bench`: the built server (`node dist/main.js`, production mode) on a freshly created and
 * seeded PostgreSQL database, next to its peers (bench/peers/): bare Fastify + postgres.js with one
 * hand-written statement, and Mercurius + graphql-jit + DataLoader, both verifying the same tokens
 * and answering the same JSON. Rounds are interleaved, so a change in the machine's load reaches
 * every server alike. Writes bench/results.md and prints it. A missed target is reported, not a
 * failure: only a broken run exits non-zero.
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

  // The peers verify the gateway's tokens with the keys it publishes, as another service would.
  const claims = decodeJwt(data.adminToken);
  const startPeer = (name: "bare" | "mercurius", url: string, gateway: Running) =>
    startProcess(["--import", "tsx", join(root, `bench/peers/${name}.ts`)], {
      BENCH_DATABASE_URL: url,
      BENCH_JWKS_URL: `${gateway.base}/.well-known/jwks.json`,
      BENCH_JWT_ISSUER: String(claims.iss),
      BENCH_JWT_AUDIENCE: String(claims.aud),
    });
  const baseline = await startPeer("bare", databaseUrl, server);
  processes.push(baseline);
  const mercurius = await startPeer("mercurius", databaseUrl, server);
  processes.push(mercurius);

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
  const adminHeaders = { authorization: `Bearer ${data.adminToken}` };
  const flatQuery = `
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
  `;
  const full = (n: number) => `{ organizationSalesReps(pageSize: ${n}) { ${repSelection} } }`;
  const bare = (path: string) => ({ server: baseline, method: "GET", path, headers: adminHeaders }) as const;
  const scenarios: BenchScenario[] = [
    { name: "baseline 25 reps", ...bare("/reps?limit=25") },
    { name: "baseline 100 reps", ...bare("/reps?limit=100") },
    { name: "baseline flat 25 reps", ...bare("/reps/flat?limit=25") },
    {
      name: "Mercurius organizationSalesReps 25",
      server: mercurius,
      yardstick: "baseline 25 reps",
      ...graphql(full(25), data.adminToken),
    },
    {
      name: "Mercurius organizationSalesReps 100",
      server: mercurius,
      yardstick: "baseline 100 reps",
      ...graphql(full(100), data.adminToken),
    },
    {
      name: "Mercurius, REST route's fields, 25",
      server: mercurius,
      yardstick: "baseline flat 25 reps",
      ...graphql(flatQuery, data.adminToken),
    },
    {
      name: "GraphQL organizationSalesReps 25",
      server,
      list: true,
      yardstick: "baseline 25 reps",
      ...graphql(full(25), data.adminToken),
    },
    {
      name: "GraphQL organizationSalesReps 100",
      server,
      list: true,
      yardstick: "baseline 100 reps",
      ...graphql(full(100), data.adminToken),
    },
    {
      name: "GraphQL, REST route's fields, 25",
      server,
      list: true,
      yardstick: "baseline flat 25 reps",
      ...graphql(flatQuery, data.adminToken),
    },
    {
      name: "REST GET /api/organizations/salesreps 25",
      server,
      list: true,
      yardstick: "baseline flat 25 reps",
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
  // Each peer answers what the gateway's GraphQL answers for the same selection, byte for byte once keys are sorted.
  const sameJsonGroups = [
    ["GraphQL organizationSalesReps 25", "baseline 25 reps", "Mercurius organizationSalesReps 25"],
    ["GraphQL organizationSalesReps 100", "baseline 100 reps", "Mercurius organizationSalesReps 100"],
    ["GraphQL, REST route's fields, 25", "baseline flat 25 reps", "Mercurius, REST route's fields, 25"],
  ];
  const different: string[] = [];
  for (const [gateway, ...peers] of sameJsonGroups) {
    const expected = canonical(answers.get(gateway!));
    for (const peer of peers) {
      const actual = canonical(answers.get(peer));
      if (actual === expected) continue;
      different.push(peer);
      // Kept for a look: which field the two answers disagree on.
      const file = (name: string) => join(tmpdir(), `bench-${name.replace(/[^a-z0-9]+/gi, "-")}.json`);
      writeFileSync(file(gateway!), expected);
      writeFileSync(file(peer), actual);
    }
  }
  if (different.length) console.error(`Answers differ from the gateway's: ${different.join(", ")} (see ${tmpdir()})`);
  const sameJson = different.length === 0;

  // Interleaved: every scenario once per round, so the servers share the machine's good and bad moments.
  for (const scenario of scenarios) await load(scenario.server.base, scenario, warmupSeconds, connections);
  const measured = new Map<string, LoadResult[]>(scenarios.map((s) => [s.name, []]));
  // The serving process's CPU over the rounds, per request answered: what a request costs in node.
  const cpuSpent = new Map<string, { ms: number; requests: number }>(
    scenarios.map((s) => [s.name, { ms: 0, requests: 0 }]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const pid = scenario.server.child.pid!;
      const before = cpuMs(pid);
      const result = await load(scenario.server.base, scenario, seconds, connections);
      const spent = cpuSpent.get(scenario.name)!;
      spent.ms += cpuMs(pid) - before;
      spent.requests += result.requests;
      measured.get(scenario.name)!.push(result);
    }
  }
  const results = new Map<string, LoadResult & { statements?: number; cpuMsPerRequest: number }>();
  for (const scenario of scenarios) {
    const runs = measured.get(scenario.name)!;
    const result = {
      rps: median(runs.map((m) => m.rps)),
      p50: median(runs.map((m) => m.p50)),
      p99: median(runs.map((m) => m.p99)),
      failures: runs.reduce((sum, m) => sum + m.failures, 0),
      requests: runs.reduce((sum, m) => sum + m.requests, 0),
      cpuMsPerRequest: cpuSpent.get(scenario.name)!.ms / Math.max(1, cpuSpent.get(scenario.name)!.requests),
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
  const countedBaseline = await startPeer("bare", countedUrl, counted);
  const countedMercurius = await startPeer("mercurius", countedUrl, counted);
  processes.push(counted, countedBaseline, countedMercurius);
  const countedBase = new Map([
    [server, counted.base],
    [baseline, countedBaseline.base],
    [mercurius, countedMercurius.base],
  ]);
  for (const scenario of scenarios) {
    const base = countedBase.get(scenario.server)!;
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
  await stopProcess(countedMercurius);
  await counter.close();
  await stopProcess(baseline);
  await stopProcess(mercurius);

  const dataDir = mkdtempSync(join(tmpdir(), "gateway-bench-pglite-"));
  const pglite = await startServer({ DATABASE_URL: "", DATA_DIR: dataDir });
  processes.push(pglite);
  await stopProcess(pglite);
  rmSync(dataDir, { recursive: true, force: true });

  const report = formatReport({
    scenarios: scenarios.map((s) => ({
      name: s.name,
      list: !!s.list,
      yardstick: s.yardstick ?? (s.server === baseline ? s.name : undefined),
      ...results.get(s.name)!,
    })),
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
  // A hand-written "## Notes" section (to the end of the file: comparisons, how busy the machine
  // was) outlives the rewrite.
  const resultsFile = join(root, "bench/results.md");
  const notes = existsSync(resultsFile)
    ? (/\n## Notes\n[\s\S]*$/.exec(readFileSync(resultsFile, "utf8"))?.[0] ?? "")
    : "";
  writeFileSync(resultsFile, `${report.trimEnd()}\n${notes}`);
  console.log(`\n${report}`);
} finally {
  for (const running of processes) await stopProcess(running).catch(() => undefined);
  await sql.end();
  await admin`drop database if exists ${admin(databaseName)} with (force)`;
  await admin.end();
}

interface BenchScenario extends Scenario {
  server: Running;
  /** A request of the gateway's: its statements count against the list budget. */
  list?: boolean;
  /** The bare server's scenario answering the same JSON; the baseline itself when unset. */
  yardstick?: string;
}

interface Report {
  scenarios: (LoadResult & {
    name: string;
    list: boolean;
    yardstick?: string;
    statements?: number;
    cpuMsPerRequest: number;
  })[];
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
  const rest = find("REST GET /api/organizations/salesreps 25");
  const mark = (ok: boolean) => (ok ? "ok" : "**MISS**");
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const ratio = (a: LoadResult, b: LoadResult) => a.rps / b.rps;
  const times = (value: number) => `${value.toFixed(2)}×`;

  // A round in which no request completed has no latency to show (the requests outlasted the round).
  const latency = (s: LoadResult, value: number) => (s.rps > 0 ? String(value) : "> round");
  const rows = report.scenarios.map(
    (s) =>
      `| ${s.name} | ${s.rps.toFixed(0)} | ${latency(s, s.p50)} | ${latency(s, s.p99)} | ` +
      `${s.yardstick ? times(ratio(s, find(s.yardstick))) : "–"} | ${s.cpuMsPerRequest.toFixed(2)} | ` +
      `${s.statements ?? "?"} | ${s.failures} |`,
  );
  // The gateway next to its peers, selection by selection (issue 20's table).
  const selections = [
    ["25 rows, every nested field", "organizationSalesReps 25", "baseline 25 reps"],
    ["100 rows, every nested field", "organizationSalesReps 100", "baseline 100 reps"],
    ["25 rows, the REST route's fields", ", REST route's fields, 25", "baseline flat 25 reps"],
  ].map(([label, key, bare]) => {
    const named = (server: string) => find(key!.startsWith(",") ? `${server}${key}` : `${server} ${key}`);
    return { label, gateway: named("GraphQL"), mercurius: named("Mercurius"), bare: find(bare!) };
  });
  const peerRows = selections.map(
    ({ label, gateway, mercurius, bare }) =>
      `| ${label} | ${bare.rps.toFixed(0)} | ${mercurius.rps.toFixed(0)} | ${gateway.rps.toFixed(0)} | ` +
      `${times(ratio(mercurius, bare))} | ${times(ratio(gateway, bare))} | ${times(ratio(gateway, mercurius))} |`,
  );
  const [full25, full100, flat25] = selections as [
    (typeof selections)[0],
    (typeof selections)[0],
    (typeof selections)[0],
  ];
  peerRows.push(
    `| REST route, the same 25 rows | ${flat25.bare.rps.toFixed(0)} | ${flat25.mercurius.rps.toFixed(0)} | ` +
      `${rest.rps.toFixed(0)} | ${times(ratio(flat25.mercurius, flat25.bare))} | ${times(ratio(rest, flat25.bare))} | ` +
      `${times(ratio(rest, flat25.mercurius))} |`,
  );
  const maxListStatements = Math.max(...report.scenarios.filter((s) => s.list).map((s) => s.statements ?? Infinity));
  const peerTarget = (name: string, gateway: LoadResult, peer: LoadResult, at: number): [string, string, boolean] => [
    name,
    `${times(ratio(gateway, peer))} (≥ ${at.toFixed(1)}×)`,
    ratio(gateway, peer) >= at,
  ];
  const targets: [string, string, boolean][] = [
    peerTarget("GraphQL 25 rows / Mercurius", full25.gateway, full25.mercurius, 1),
    peerTarget("GraphQL 25 rows / bare", full25.gateway, full25.bare, 0.6),
    peerTarget("GraphQL 100 rows / Mercurius", full100.gateway, full100.mercurius, 1),
    peerTarget("GraphQL 100 rows / bare", full100.gateway, full100.bare, 0.6),
    peerTarget("GraphQL, REST route's fields / Mercurius", flat25.gateway, flat25.mercurius, 0.9),
    peerTarget("REST route / Mercurius, same fields", rest, flat25.mercurius, 0.9),
    [
      "REST / GraphQL with the REST route's fields",
      `${times(ratio(rest, flat25.gateway))} (≥ 1.0×)`,
      rest.rps >= flat25.gateway.rps,
    ],
    // The role check and the one compiled statement.
    ["SQL statements per list request (most)", `${maxListStatements} (≤ 2)`, maxListStatements <= 2],
    [
      "node CPU per 25-row request, every nested field (GraphQL)",
      `${full25.gateway.cpuMsPerRequest.toFixed(2)} ms (≤ 2.0 ms; Mercurius ${full25.mercurius.cpuMsPerRequest.toFixed(2)} ms)`,
      full25.gateway.cpuMsPerRequest <= 2,
    ],
    [
      "start to ready, PGlite, fresh data directory",
      `${ms(report.startup.pgliteFresh[0])} (< 2,000 ms)`,
      report.startup.pgliteFresh[0] < 2000,
    ],
    [
      "start to ready, PostgreSQL, fresh database",
      `${ms(report.startup.postgresFresh[0])} (< 500 ms)`,
      report.startup.postgresFresh[0] < 500,
    ],
    [
      "start to ready, PostgreSQL, migrated database (restart)",
      `${ms(report.startup.postgresMigrated[0])} (< 500 ms)`,
      report.startup.postgresMigrated[0] < 500,
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
connections (autocannon), rounds interleaved (every scenario once per round). SQL statements per request are counted
on the wire (Query and Execute messages) by a proxy in front of a second instance of each server, ${statementSamples}
sequential requests each. The peers (bench/peers/) verify the same ES256 tokens and check the caller is an admin;
their answers are the gateway's GraphQL answers for the same selection: ${report.sameJson ? "checked, identical" : "**checked, DIFFERENT**"}.

| selection | bare req/s | Mercurius req/s | gateway req/s | Mercurius ÷ bare | gateway ÷ bare | gateway ÷ Mercurius |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${peerRows.join("\n")}

| scenario | req/s | p50 ms | p99 ms | × baseline | node CPU ms / request | SQL statements / request | failed requests |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
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

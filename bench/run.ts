import { spawn } from "node:child_process";
import { once } from "node:events";
import postgres from "postgres";

/**
 * Throughput and memory of the customer list (25 rows, two nested fields resolved through a
 * DataLoader) over GraphQL and REST, against a bare Fastify handler running the same SQL.
 * Targets: GraphQL at least 12% of bare; REST at least GraphQL's throughput (within noise);
 * server RSS under 400 MB after the load. Exits 1 when a target is missed.
 */
const durationMs = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const targets = { graphqlVsBare: 0.12, restVsGraphql: 0.95, maxRssMb: 400 };

async function prepareDatabase(): Promise<{ url?: string; drop?: () => Promise<void> }> {
  const base =
    process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const admin = postgres(base, { max: 1, onnotice: () => undefined, connect_timeout: 3 });
  try {
    const name = `gateway_bench_${Date.now()}`;
    await admin`create database ${admin(name)}`;
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => void (await admin`drop database if exists ${admin(name)} with (force)`, await admin.end()),
    };
  } catch {
    await admin.end({ timeout: 1 });
    console.log("PostgreSQL not reachable: benchmarking on embedded PGlite (the bare handler uses it too)");
    return {};
  }
}

async function load(name: string, request: () => Promise<Response>) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const response = await request();
        await response.arrayBuffer();
        if (!response.ok) errors++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  const rps = latencies.length / (durationMs / 1000);
  console.log(
    `${name.padEnd(9)} ${rps.toFixed(0).padStart(6)} req/s   p50 ${pick(0.5).padStart(6)} ms   p99 ${pick(0.99).padStart(6)} ms   errors ${errors}`,
  );
  if (errors > 0) throw new Error(`${name}: ${errors} failed requests`);
  return rps;
}

const db = await prepareDatabase();
const child = spawn(process.execPath, ["--import", "tsx", "bench/server.ts"], {
  env: { ...process.env, BENCH_DATABASE_URL: db.url ?? "" },
  stdio: ["ignore", "pipe", "inherit"],
});
const [line] = (await once(child.stdout!, "data")) as [Buffer];
const { base, token, database } = JSON.parse(line.toString()) as { base: string; token: string; database: string };
console.log(`database: ${database}; ${concurrency} concurrent clients, ${durationMs / 1000} s per scenario\n`);

// The same selection as the REST route's document, so both do the same work.
const customerFields = `id customerNumber companyName companyEmail companyPhone companyFax pricing currencyCode active
  repNumber terms externalId customerAttributes`;
const graphqlBody = JSON.stringify({
  query: `query { customers(pageSize: 25) { data: items { ${customerFields} } totalRecords: totalCount currentPage: pageNumber totalPages } }`,
});
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const scenarios = {
  bare: () => fetch(`${base}/bench/bare`),
  graphql: () => fetch(`${base}/graphql`, { method: "POST", headers, body: graphqlBody }),
  rest: () => fetch(`${base}/api/customers?pageSize=25`, { headers }),
};

let failed = false;
try {
  for (const request of Object.values(scenarios)) await load("warm-up", request).catch(() => 0);
  console.log("");
  const bare = await load("bare", scenarios.bare);
  const graphql = await load("graphql", scenarios.graphql);
  const rest = await load("rest", scenarios.rest);
  const memory = (await (await fetch(`${base}/bench/memory`)).json()) as { rss: number; heapUsed: number };
  const rssMb = memory.rss / 1024 / 1024;
  const checks = [
    [
      `GraphQL / bare = ${(graphql / bare).toFixed(2)}x (target >= ${targets.graphqlVsBare})`,
      graphql / bare >= targets.graphqlVsBare,
    ],
    [
      `REST / GraphQL = ${(rest / graphql).toFixed(2)}x (target >= ${targets.restVsGraphql})`,
      rest / graphql >= targets.restVsGraphql,
    ],
    [
      `server RSS = ${rssMb.toFixed(0)} MB, heap ${(memory.heapUsed / 1024 / 1024).toFixed(0)} MB (target RSS < ${targets.maxRssMb} MB)`,
      rssMb < targets.maxRssMb,
    ],
  ] as const;
  console.log("");
  for (const [text, ok] of checks) {
    console.log(`${ok ? "ok  " : "MISS"} ${text}`);
    failed ||= !ok;
  }
} finally {
  child.kill("SIGTERM");
  await once(child, "exit");
  await db.drop?.();
}
process.exit(failed ? 1 : 0);

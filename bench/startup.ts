import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { median } from "./load.js";
import { rssMb, startProcess, stopProcess } from "./processes.js";

/**
 * `npm run bench:startup`: start to ready of the built server alone, a few times each, without the
 * load of `npm run bench` (which measures each case once): PostgreSQL with every migration applied
 * (a restart), a fresh PostgreSQL database, and a fresh PGlite data directory. Prints the median
 * wall and CPU time of each, and the idle RSS. BENCH_STARTS sets how many starts per case;
 * BENCH_CPU_PROF=dir writes a V8 CPU profile of every start into dir.
 */
const starts = Number(process.env.BENCH_STARTS ?? 5);
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const profileDir = process.env.BENCH_CPU_PROF;
const root = join(import.meta.dirname, "..");
execFileSync(process.execPath, ["scripts/build-if-stale.mjs"], { cwd: root, stdio: "inherit" });

const startArgs = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(" ")
  .slice(1)
  .map((arg) => (arg.startsWith("-") ? arg : join(root, arg)));
const args = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, ...startArgs] : startArgs;
const env = { NODE_ENV: "production", LOG_LEVEL: "warn" };

const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
const created: string[] = [];
async function freshDatabase(): Promise<string> {
  const name = `gateway_startup_${Date.now()}_${process.pid}_${created.length}`;
  await admin`create database ${admin(name)}`;
  created.push(name);
  return Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
}

async function measure(startEnv: () => Promise<Record<string, string>>) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < starts; i++) {
    const running = await startProcess(args, { ...env, ...(await startEnv()) });
    wall.push(running.readyMs);
    cpu.push(running.readyCpuMs);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rss.push(rssMb(running.child.pid!));
    await stopProcess(running, "SIGINT");
  }
  return { wall: median(wall), cpu: median(cpu), rss: median(rss), walls: wall.map(Math.round) };
}

const loadBefore = loadavg()[0]!;
const dataDirs: string[] = [];
try {
  const migrated = await freshDatabase();
  // One start applies the migrations; the measured ones find nothing to do, as a restart does.
  await stopProcess(await startProcess(startArgs, { ...env, DATABASE_URL: migrated }), "SIGINT");
  const cases = {
    "PostgreSQL, migrated database (restart)": await measure(async () => ({ DATABASE_URL: migrated })),
    "PostgreSQL, fresh database (all migrations)": await measure(async () => ({ DATABASE_URL: await freshDatabase() })),
    "PGlite, fresh data directory": await measure(async () => {
      const dir = mkdtempSync(join(tmpdir(), "gateway-startup-"));
      dataDirs.push(dir);
      return { DATA_DIR: join(dir, "data") };
    }),
  };
  console.log(
    `Node ${process.version}, ${starts} starts each, load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log("| database | wall (median) | CPU (median) | idle RSS | every start, wall |");
  console.log("| --- | ---: | ---: | ---: | --- |");
  for (const [name, m] of Object.entries(cases)) {
    console.log(
      `| ${name} | ${m.wall.toFixed(0)} ms | ${m.cpu.toFixed(0)} ms | ${m.rss.toFixed(0)} MB | ${m.walls.join(", ")} |`,
    );
  }
} finally {
  for (const name of created) await admin`drop database if exists ${admin(name)} with (force)`;
  await admin.end();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}

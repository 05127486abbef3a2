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
 * BENCH_CPU_PROF=dir writes a V8 CPU profile of every start into dir. BENCH_COMPARE=path/main.js
 * (another checkout's build, say main's) starts that server too, alternating with this one start by
 * start, so a busy machine slows both alike.
 */
const starts = Number(process.env.BENCH_STARTS ?? 5);
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const profileDir = process.env.BENCH_CPU_PROF;
const compare = process.env.BENCH_COMPARE;
const root = join(import.meta.dirname, "..");
execFileSync(process.execPath, ["scripts/build-if-stale.mjs"], { cwd: root, stdio: "inherit" });

const startArgs = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(" ")
  .slice(1)
  .map((arg) => (arg.startsWith("-") ? arg : join(root, arg)));
const withProfile = (argv: string[]) => (profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, ...argv] : argv);
const servers: Record<string, string[]> = {
  [compare ? "this checkout" : ""]: withProfile(startArgs),
  ...(compare ? { [compare]: withProfile([...startArgs.slice(0, -1), compare]) } : {}),
};
const env = { NODE_ENV: "production", LOG_LEVEL: "warn" };

const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
const created: string[] = [];
async function freshDatabase(): Promise<string> {
  const name = `gateway_startup_${Date.now()}_${process.pid}_${created.length}`;
  await admin`create database ${admin(name)}`;
  created.push(name);
  return Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
}

interface Figures {
  wall: number[];
  cpu: number[];
  rss: number[];
}

/** Starts every server `starts` times in turn on what `startEnv` gives each start, and stops it again. */
async function measure(startEnv: () => Promise<Record<string, string>>): Promise<Map<string, Figures>> {
  const figures = new Map(Object.keys(servers).map((name) => [name, { wall: [], cpu: [], rss: [] } as Figures]));
  for (let i = 0; i < starts; i++) {
    for (const [name, args] of Object.entries(servers)) {
      const running = await startProcess(args, { ...env, ...(await startEnv()) });
      const figure = figures.get(name)!;
      figure.wall.push(running.readyMs);
      figure.cpu.push(running.readyCpuMs);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      figure.rss.push(rssMb(running.child.pid!));
      await stopProcess(running, "SIGINT");
    }
  }
  return figures;
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
  console.log("| database | server | wall (median) | CPU (median) | idle RSS | every start, wall |");
  console.log("| --- | --- | ---: | ---: | ---: | --- |");
  for (const [database, figures] of Object.entries(cases)) {
    for (const [server, m] of figures) {
      const walls = m.wall.map((value) => value.toFixed(0)).join(", ");
      console.log(
        `| ${database} | ${server || "dist/main.js"} | ${median(m.wall).toFixed(0)} ms | ${median(m.cpu).toFixed(0)} ms | ${median(m.rss).toFixed(0)} MB | ${walls} |`,
      );
    }
  }
} finally {
  for (const name of created) await admin`drop database if exists ${admin(name)} with (force)`;
  await admin.end();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}

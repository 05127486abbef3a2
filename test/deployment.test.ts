import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { configVariables, loadConfig } from "../src/config.js";

const root = new URL("..", import.meta.url).pathname;
const read = (file: string) => readFileSync(join(root, file), "utf8");
const packageJson = JSON.parse(read("package.json")) as {
  scripts: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const scratch: string[] = [];
// A production install is thousands of files: deleting it takes a while on a busy machine.
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })), 300_000);
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Dockerfile instructions with their continuation lines joined; comments dropped. */
function dockerInstructions(text: string): { op: string; args: string }[] {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [op = "", ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

/** Whether a .dockerignore pattern (the simple forms this repository uses) excludes a path. */
function ignoredByDocker(path: string, patterns: string[]): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith("!");
    const pattern = (negated ? raw.slice(1) : raw).replace(/\/$/, "");
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, "[^/]*")
        .replace(/\?/g, "[^/]")}(/.*)?$`,
    );
    if (regex.test(path)) ignored = !negated;
  }
  return ignored;
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts node with `args`; `unset` names variables the child must not inherit. */
function run(args: string[], cwd: string, env: Record<string, string>, unset: string[] = []): Started {
  // The run's DATABASE_URL must not leak in: each server here owns an embedded database.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", ...env };
  for (const name of unset) delete childEnv[name];
  const child = spawn(process.execPath, args, {
    cwd,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Runs a command to its end without blocking the test worker; a timeout kills it. */
function command(file: string, args: string[], cwd: string, timeoutMs?: number) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(file, args, { cwd, timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** Polls GET /readyz until it answers 200; fails early when the process exits. */
async function waitReady(url: string, started: Started, timeoutMs: number): Promise<void> {
  let exited = false;
  void started.exit.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`exited before it was ready:\n${started.output()}`);
    const status = await fetch(`${url}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${started.output()}`);
}

describe("Dockerfile", () => {
  const instructions = dockerInstructions(read("Dockerfile"));
  const ignore = read(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));

  it("copies only files that exist and that .dockerignore lets into the build context", () => {
    const sources = instructions
      .filter((i) => i.op === "COPY" && !/--from=/.test(i.args))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((word) => !word.startsWith("--"))
          .slice(0, -1),
      );
    expect(sources).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "src", "drizzle"]));
    for (const source of sources) {
      expect(existsSync(join(root, source)), `${source} exists`).toBe(true);
      expect(ignoredByDocker(source, ignore), `${source} is not in .dockerignore`).toBe(false);
    }
  });

  it("builds and runs on Node 24 LTS, a line package.json's engines names and CI runs the suite on", () => {
    const stages = instructions.filter((i) => i.op === "FROM").map((i) => i.args.split(/\s+/));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const [image, as, name] of stages) {
      expect(image).toBe("node:24-bookworm-slim");
      expect(as?.toUpperCase()).toBe("AS");
      expect(name).toMatch(/^\w+$/);
    }
    const names = stages.map((stage) => stage[2]);
    for (const copy of instructions.filter((i) => i.op === "COPY" && /--from=/.test(i.args))) {
      expect(names).toContain(/--from=(\S+)/.exec(copy.args)![1]);
    }
    const majors = packageJson.engines.node.split("||").map((range) => /^\^(\d+)\./.exec(range.trim())?.[1]);
    expect(majors).toEqual(["20", "24"]);
    expect(read(".ci/run")).toMatch(/npx -y -p node@24 node/);
  });

  it("has the patched tarballs package.json installs from in place before each npm ci", () => {
    const tarballs = Object.values({ ...packageJson.dependencies, ...packageJson.devDependencies })
      .filter((spec) => spec.startsWith("file:"))
      .map((spec) => spec.slice("file:".length));
    expect(tarballs.length).toBeGreaterThan(0);
    for (const tarball of tarballs) expect(existsSync(join(root, tarball)), tarball).toBe(true);
    let copied = false;
    for (const i of instructions) {
      if (i.op === "FROM") copied = false;
      if (i.op === "COPY" && /^vendor\s/.test(i.args)) copied = true;
      if (i.op === "RUN" && /npm ci\b/.test(i.args)) expect(copied, i.args).toBe(true);
    }
  });

  it("runs only npm scripts that package.json defines, and builds explicitly", () => {
    const scripts = instructions
      .filter((i) => i.op === "RUN")
      .flatMap((i) => [...i.args.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]!));
    expect(scripts).toContain("build");
    for (const script of scripts) expect(packageJson.scripts, script).toHaveProperty(script);
  });

  it("starts the compiled entry point as a non-root user, exposes 4000 and checks /readyz", () => {
    const cmd = instructions.filter((i) => i.op === "CMD").at(-1);
    // The image starts the server as `npm start` does, V8 flags included.
    expect(JSON.parse(cmd!.args)).toEqual(packageJson.scripts.start!.split(" "));
    // node itself, never npm: npm does not pass SIGINT on, so the server would outlive a stop.
    expect(JSON.parse(cmd!.args)[0]).toBe("node");
    expect(JSON.parse(cmd!.args).at(-1)).toBe("dist/main.js");
    // dist/main.js is what `npm run build` makes of src/main.ts: tsc (tsconfig.build.json: src →
    // build), then scripts/bundle.ts (build/main.js → dist/main.js).
    const build = JSON.parse(read("tsconfig.build.json")) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: "src", outDir: "build" });
    expect(packageJson.scripts.build).toMatch(/tsconfig\.build\.json.*scripts\/bundle\.ts/);
    expect(existsSync(join(root, "src/main.ts"))).toBe(true);

    const stages = instructions.filter((i) => i.op === "FROM");
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));
    expect(runtime.some((i) => i.op === "RUN" && /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.op === "COPY" && /--from=\w+\s+\/app\/dist\s/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.op === "COPY" && /^drizzle\s/.test(i.args))).toBe(true);
    const user = runtime.filter((i) => i.op === "USER").at(-1);
    expect(user?.args).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)$/);
    expect(runtime.find((i) => i.op === "EXPOSE")?.args).toBe("4000");
    expect(runtime.find((i) => i.op === "HEALTHCHECK")?.args).toMatch(/\/readyz/);
  });
});

describe("compose.yaml", () => {
  const compose = read("compose.yaml");
  /** The lines of one service block (two-space indented name under `services:`). */
  const service = (name: string) => {
    const match = new RegExp(`^  ${name}:\\n((?:(?: {4}.*)?\\n)*)`, "m").exec(compose);
    expect(match, `service ${name}`).not.toBeNull();
    return match![1]!;
  };

  it("builds the gateway from this repository's Dockerfile, with PostgreSQL 16 and Redis 7", () => {
    const gateway = service("gateway");
    const context = /^ {4}build: (\S+)$/m.exec(gateway)?.[1];
    expect(context).toBeDefined();
    expect(existsSync(join(root, context!, "Dockerfile"))).toBe(true);
    expect(service("postgres")).toMatch(/image: postgres:16\b/);
    expect(service("redis")).toMatch(/image: redis:7\b/);
  });

  it("gives the gateway DATABASE_URL and REDIS_URL pointing at those services, and only variables it reads", () => {
    const gateway = service("gateway");
    const environment = /^ {4}environment:\n((?: {6}.*\n)*)/m.exec(gateway)![1]!;
    const variables = Object.fromEntries(
      [...environment.matchAll(/^ {6}(\w+): "?([^"\n]*)"?$/gm)].map((match) => [match[1]!, match[2]!]),
    );
    expect(variables.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(variables.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
    for (const name of Object.keys(variables)) expect(configVariables).toContain(name);
    // The optional env_file is the user's own .env, which the repository does not ship.
    expect(gateway).toMatch(/env_file:\n\s+- path: \.env\n\s+required: false/);
  });

  it("starts the gateway only when PostgreSQL and Redis are healthy, and each has a health check", () => {
    const gateway = service("gateway");
    for (const dependency of ["postgres", "redis"]) {
      expect(gateway).toMatch(new RegExp(`depends_on:[\\s\\S]*${dependency}:\\n\\s+condition: service_healthy`));
      expect(service(dependency)).toMatch(/healthcheck:\n\s+test:/);
    }
  });
});

describe(".env.example", () => {
  const lines = read(".env.example").split("\n");
  // Settings are `# NAME=value` (commented out, so the file changes nothing as it is) or `NAME=value`.
  const settings = lines
    .map((line) => /^(?:# ?)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1]!, value: match[2]! }));

  it("lists exactly the variables src/config.ts reads, each once", () => {
    const names = settings.map((setting) => setting.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...configVariables].sort());
  });

  it("shows each variable's real default where it has one", () => {
    const defaults = loadConfig({}) as unknown as Record<string, unknown>;
    for (const { name, value } of settings) {
      // Unset by default: the line shows an example or nothing. PUBLIC_URL and INVITATION_URL
      // derive from PORT, so their lines are empty and their comments give the rule.
      if (defaults[name] === undefined || value === "") continue;
      expect(value, name).toBe(String(defaults[name]));
    }
    // Every line is commented out, so copying the file to .env unchanged changes nothing.
    expect(lines.filter((line) => /^[A-Z]/.test(line))).toEqual([]);
  });
});

describe("the .env file", () => {
  it("configures the server from its working directory; variables already in the environment win", async () => {
    const cwd = tempDir("gateway-dotenv-");
    const port = await freePort();
    writeFileSync(
      join(cwd, ".env"),
      [`PORT=${port}`, "HOST=127.0.0.1", `DATA_DIR=${join(cwd, "data")}`, "LOG_LEVEL=silent", ""].join("\n"),
    );
    const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
    // PORT, HOST and DATA_DIR come from the file; LOG_LEVEL from the environment, which wins.
    // tsx looks for tsconfig.json in the working directory; the decorators need this repository's.
    const env = { LOG_LEVEL: "info", TSX_TSCONFIG_PATH: join(root, "tsconfig.json") };
    const started = run(["--import", tsx, join(root, "src/main.ts")], cwd, env, ["PORT", "HOST", "DATA_DIR"]);
    try {
      // Seconds on an idle machine; the ceiling is for a busy shared one.
      await waitReady(`http://127.0.0.1:${port}`, started, 240_000);
      expect(started.output()).toMatch(new RegExp(`Server listening at http://127\\.0\\.0\\.1:${port}`));
      expect(existsSync(join(cwd, "data"))).toBe(true);
    } finally {
      started.child.kill("SIGTERM");
    }
    expect(await started.exit).toBe(0);
  }, 300_000);
});

// Building and installing take about a minute on an idle machine and several on a busy one (hence
// the generous timeouts), too long for every local run; .ci/run sets TEST_DEPLOYMENT for one suite.
describe.runIf(process.env.TEST_DEPLOYMENT)("the production install", () => {
  it("runs from dist/, drizzle/ and web/ with production dependencies only, and exits 0 on SIGTERM", async () => {
    const app = tempDir("gateway-production-");
    for (const file of ["package.json", "package-lock.json", "vendor", "drizzle", "web"]) {
      cpSync(join(root, file), join(app, file), { recursive: true });
    }
    // The build's dist/, as the Dockerfile copies it: the bundle must need nothing but production
    // dependencies, not build/ (tsc's output) or the sources.
    const build = await command(process.execPath, ["scripts/build-if-stale.mjs"], root);
    expect(build.code, build.output).toBe(0);
    cpSync(join(root, "dist"), join(app, "dist"), { recursive: true });
    expect(existsSync(join(app, "dist/main.js"))).toBe(true);

    const install = await command(
      "npm",
      ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"],
      app,
      180_000,
    );
    expect(install.code, install.output).toBe(0);
    // Dev tooling must not be needed at run time.
    expect(existsSync(join(app, "node_modules/typescript"))).toBe(false);
    expect(existsSync(join(app, "node_modules/tsx"))).toBe(false);

    const port = await freePort();
    const started = run(["dist/main.js"], app, {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: join(app, "data"),
      LOG_LEVEL: "info",
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitReady(base, started, 240_000);
      // Pages whose files the bundle must find where they are installed: Swagger UI, GraphiQL's
      // assets, the start page, and the OpenAPI document.
      const html = { accept: "text/html" };
      for (const [path, headers] of [
        ["/docs/", html],
        ["/docs/static/swagger-ui-bundle.js", {}],
        ["/graphql", html],
        ["/vendor/graphiql/graphiql.min.js", {}],
        ["/", html],
        ["/openapi.json", {}],
      ] as const) {
        expect((await fetch(`${base}${path}`, { headers })).status, path).toBe(200);
      }
    } finally {
      started.child.kill("SIGTERM");
    }
    expect(await started.exit).toBe(0);
  }, 600_000);
});

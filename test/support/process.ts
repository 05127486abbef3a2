import { spawn, type ChildProcess } from "node:child_process";

const root = new URL("../..", import.meta.url).pathname;

export interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves to the base URL once the server listens. */
  ready: Promise<string>;
  exit: Promise<number | null>;
}

/**
 * Runs the real entry point, as `npm start` does, listening on a free loopback port. The run's
 * DATABASE_URL does not leak in: the caller's `env` says which database to use.
 */
export function startProcess(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let resolveUrl: (url: string) => void;
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match) resolveUrl(match[1]!);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, ready: listening, exit };
}

/** Starts the entry point and waits until it listens; rejects with its output if it exits first. */
export function startedProcess(env: Record<string, string>): Promise<Running & { url: string }> {
  return listening(startProcess(env));
}

/** Waits until a started process listens; rejects with its output if it exits first. */
export async function listening(running: Running): Promise<Running & { url: string }> {
  const url = await Promise.race([
    running.ready,
    running.exit.then((code) => Promise.reject(new Error(`exited ${code}: ${running.output()}`))),
  ]);
  return { ...running, url };
}

/** SIGTERM, then the exit code; SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(running: Running, graceMs = 20_000): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode;
  running.child.kill("SIGTERM");
  const timer = setTimeout(() => running.child.kill("SIGKILL"), graceMs);
  try {
    return await running.exit;
  } finally {
    clearTimeout(timer);
  }
}

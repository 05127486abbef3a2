import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const pgBin = existsSync("/usr/lib/postgresql")
  ? readdirSync("/usr/lib/postgresql")
      .map((version) => `/usr/lib/postgresql/${version}/bin`)
      .find((bin) => existsSync(`${bin}/initdb`) && existsSync(`${bin}/pg_ctl`))
  : undefined;
const isRoot = userInfo().uid === 0;

/**
 * A PostgreSQL cluster of a test's own, in a temporary directory, that it may stop and start: the
 * machine's PostgreSQL is shared and must never be restarted. Root runs it as `postgres`.
 */
export class OwnPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), "gateway-own-pg-"));
  port = 0;

  private run(tool: string, args: string[]) {
    const command = isRoot ? "runuser" : `${pgBin}/${tool}`;
    const argv = isRoot ? ["-u", "postgres", "--", `${pgBin}/${tool}`, ...args] : args;
    execFileSync(command, argv, { stdio: "pipe", timeout: 60_000 });
  }

  async init(): Promise<void> {
    if (isRoot) {
      chmodSync(this.dir, 0o700);
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
      const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
      chownSync(this.dir, uid, gid);
    }
    this.port = await freePort();
    this.run("initdb", ["-D", join(this.dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync"]);
  }

  start() {
    this.run("pg_ctl", [
      "start",
      "-D",
      join(this.dir, "data"),
      "-w",
      "-l",
      join(this.dir, "log"),
      "-o",
      this.serverOptions(),
    ]);
  }

  /** `pg_ctl -m fast`: every session is terminated (57P01), in-flight transactions roll back. */
  stop() {
    this.run("pg_ctl", ["stop", "-D", join(this.dir, "data"), "-m", "fast", "-w"]);
  }

  /**
   * Stops the cluster (fast mode), keeps it down for `downMs`, starts it again, without blocking
   * the caller's event loop: a test under load keeps sending and reading meanwhile.
   */
  async restart(downMs: number): Promise<void> {
    const data = join(this.dir, "data");
    const run = (tool: string, args: string[]) =>
      isRoot
        ? promisify(execFile)("runuser", ["-u", "postgres", "--", `${pgBin}/${tool}`, ...args], { timeout: 60_000 })
        : promisify(execFile)(`${pgBin}/${tool}`, args, { timeout: 60_000 });
    await run("pg_ctl", ["stop", "-D", data, "-m", "fast", "-w"]);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await run("pg_ctl", ["start", "-D", data, "-w", "-l", join(this.dir, "log"), "-o", this.serverOptions()]);
  }

  private serverOptions() {
    return `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  }

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  destroy() {
    try {
      this.stop();
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A started cluster, or why there is none (no binaries, no permission). */
  static async started(): Promise<OwnPostgres | string> {
    if (!pgBin) return "no PostgreSQL binaries under /usr/lib/postgresql";
    const cluster = new OwnPostgres();
    try {
      await cluster.init();
      cluster.start();
      return cluster;
    } catch (error) {
      cluster.destroy();
      return `cannot start a PostgreSQL cluster: ${(error as Error).message.split("\n")[0]}`;
    }
  }
}

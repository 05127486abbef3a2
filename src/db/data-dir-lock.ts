import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

const lockFileName = "gateway.lock";

/**
 * Embedded PostgreSQL has no server to arbitrate writers: two processes on one directory both
 * start and each overwrites what the other wrote. A lock file holding the owner's pid keeps the
 * second one out; a file left by a process that is gone (crash, kill -9) is taken over.
 * Returns the function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, lockFileName);
  // Written aside, then linked into place: the lock appears whole or not at all, so a reader
  // never mistakes a lock being written for an empty, stale one.
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(draft, path);
        return () => {
          if (readLock(path) === process.pid) rmSync(path, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      takeOverIfStale(dataDir, path);
    }
  } finally {
    rmSync(draft, { force: true });
  }
  throw new DataDirInUseError(`DATA_DIR ${resolve(dataDir)} is being locked by another gateway process`);
}

function takeOverIfStale(dataDir: string, path: string): void {
  const holder = readLock(path);
  // Our own pid in the file can only be a leftover: a container restarted with the same pid.
  if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
    throw new DataDirInUseError(
      `DATA_DIR ${resolve(dataDir)} is in use by another gateway process (pid ${holder}); stop it or set another DATA_DIR`,
    );
  }
  // Renamed rather than deleted: of two processes taking over one stale lock, only one succeeds.
  try {
    renameSync(path, `${path}.stale-${process.pid}`);
    rmSync(`${path}.stale-${process.pid}`, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function readLock(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

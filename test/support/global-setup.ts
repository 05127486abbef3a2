import { PGlite } from "@electric-sql/pglite";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/client.js";

/**
 * Migrates once for the whole run: the real PostgreSQL named by DATABASE_URL, or a PGlite snapshot
 * that every test file loads instead of booting and migrating its own.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: "", poolSize: 1 });
    await database.migrate();
    await database.close();
    return;
  }
  const client = await PGlite.create("memory://");
  const database = await openDatabase({ dataDir: "memory://", pglite: client });
  await database.migrate();
  const snapshot = await client.dumpDataDir("none");
  const path = join(tmpdir(), `gateway-test-snapshot-${process.pid}.tar`);
  writeFileSync(path, Buffer.from(await snapshot.arrayBuffer()));
  await client.close();
  project.provide("pgliteSnapshot", path);
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

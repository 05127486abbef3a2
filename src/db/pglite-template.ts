import type { PGlite } from "@electric-sql/pglite";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../package-root.js";

/**
 * A migrated PGlite data directory written by `npm run build`. A fresh embedded database is loaded
 * from it instead of running initdb and every migration at start-up (seconds each on PGlite);
 * migrate() still runs afterwards, so migrations newer than the template apply on top.
 */
export const pgliteTemplateFile = fileURLToPath(new URL("dist/pglite-template.tar", packageRoot));

export async function writePgliteTemplate(client: PGlite): Promise<void> {
  // Uncompressed: loading it is then a plain copy, which matters more than its size on disk.
  const tarball = await client.dumpDataDir("none");
  writeFileSync(pgliteTemplateFile, Buffer.from(await tarball.arrayBuffer()));
}

/** The template to seed `dataDir` with, when there is one and the directory holds no database yet. */
export function pgliteTemplateFor(dataDir: string): Blob | undefined {
  if (dataDir.startsWith("memory://") || existsSync(join(dataDir, "PG_VERSION"))) return undefined;
  if (!existsSync(pgliteTemplateFile)) return undefined;
  return new Blob([readFileSync(pgliteTemplateFile)]);
}

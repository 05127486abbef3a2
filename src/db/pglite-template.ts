import { copyFileSync, cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../package-root.js";

/**
 * A migrated PGlite data directory written by `npm run build`. A fresh embedded database is copied
 * from it instead of running initdb and every migration at start-up (seconds each on PGlite);
 * migrate() still runs afterwards, so migrations newer than the template apply on top. Copied as
 * files rather than loaded with PGlite's `loadDataDir`: that unpacks a tarball file by file through
 * its WebAssembly file system, over a second for the 40 MB, where a copy takes a fraction of it.
 */
export const pgliteTemplateDir = fileURLToPath(new URL("dist/pglite-template", packageRoot));

/** The file that makes a directory a PostgreSQL data directory. */
const versionFile = "PG_VERSION";

/** Seeds `dataDir` from the template, when there is one and the directory holds no database yet. */
export function seedFromPgliteTemplate(dataDir: string): void {
  if (dataDir.startsWith("memory://") || existsSync(join(dataDir, versionFile))) return;
  if (!existsSync(pgliteTemplateDir)) return;
  // PG_VERSION last: a copy cut short leaves a directory without one, which the next start seeds
  // again (overwriting the partial files) instead of opening it as a database.
  const templateVersion = join(pgliteTemplateDir, versionFile);
  cpSync(pgliteTemplateDir, dataDir, { recursive: true, filter: (source) => source !== templateVersion });
  copyFileSync(templateVersion, join(dataDir, versionFile));
}

import { chmodSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../src/db/client.js";
import { pgliteTemplateDir } from "../src/db/pglite-template.js";

// Part of `npm run build`: migrates a PGlite in a directory of its own and keeps the directory as
// the template. Written aside and renamed into place, so a build cut short leaves no template.
const partial = `${pgliteTemplateDir}.partial`;
rmSync(partial, { recursive: true, force: true });
rmSync(pgliteTemplateDir, { recursive: true, force: true });
const database = await openDatabase({ dataDir: partial });
await database.migrate();
await database.close();
// PostgreSQL makes some files owner-only, and the image's runtime user, which copies them into its
// DATA_DIR, is not the user that built it.
for (const entry of readdirSync(partial, { recursive: true, withFileTypes: true })) {
  if (entry.isFile()) chmodSync(join(entry.parentPath, entry.name), 0o644);
}
renameSync(partial, pgliteTemplateDir);
console.log(`${pgliteTemplateDir} written`);

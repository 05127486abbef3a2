// `npm start` runs this instead of always building (~10 s): it builds only when a source file,
// migration, compiler setting, build script or installed dependency (the bundle holds their code)
// is newer than the build's last output, or there is no build.
import { execSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
// The last step of a build writes the PGlite template, PG_VERSION among its first files.
const lastOutput = join(root, "dist/pglite-template/PG_VERSION");

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

let built = 0;
try {
  built = statSync(lastOutput).mtimeMs;
} catch {
  // No build yet.
}
const inputs = [
  "src",
  "drizzle",
  "tsconfig.json",
  "tsconfig.build.json",
  "scripts/bundle.ts",
  "scripts/write-pglite-template.ts",
  "package-lock.json",
  "patches",
].map((path) => newest(join(root, path)));
if (Math.max(...inputs) > built) execSync("npm run build", { cwd: root, stdio: "inherit" });

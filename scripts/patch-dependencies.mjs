// Applies patches/<package>+<version>.patch to node_modules/<package> (postinstall, the build and
// the image's runtime stage run it). npm has no patch support of its own, and these patches close
// faults upstream has not released fixes for (docs/operations.md says which and why).
//
// A patch applies only to the exact version it was made for; a different installed version stops
// the install, so an upgrade cannot silently drop a fix. Applying twice changes nothing. Files are
// written next to the original and renamed over it: a node_modules made of hard links to another
// tree (cp -al) gets a file of its own instead of changing the other tree's.
import { readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import console from "node:console";
import process from "node:process";

const root = join(import.meta.dirname, "..");
const patchesDir = join(root, "patches");

/** The hunks of a unified diff, per file, as the text each replaces and the text it puts there. */
function parsePatch(text) {
  const files = [];
  let file;
  let hunk;
  for (const line of text.split("\n")) {
    if (line.startsWith("--- ")) continue;
    if (line.startsWith("+++ ")) {
      file = { path: line.slice(4).replace(/^b\//, ""), hunks: [] };
      files.push(file);
    } else if (line.startsWith("@@")) {
      hunk = { before: [], after: [] };
      file.hunks.push(hunk);
    } else if (hunk && /^[ +-]/.test(line)) {
      if (line[0] !== "+") hunk.before.push(line.slice(1));
      if (line[0] !== "-") hunk.after.push(line.slice(1));
    }
  }
  return files;
}

function occurrences(text, part) {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) count++;
  return count;
}

let failed = false;
for (const name of readdirSync(patchesDir).filter((entry) => entry.endsWith(".patch"))) {
  const [, pkg, version] = /^(.+)\+([^+]+)\.patch$/.exec(name) ?? [];
  const pkgDir = join(root, "node_modules", pkg);
  let installed;
  try {
    installed = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
  } catch {
    continue; // Not installed (an install without this dependency): nothing to patch.
  }
  if (installed !== version) {
    console.error(`patches/${name} is for ${pkg} ${version}, but ${installed} is installed: remake or drop the patch`);
    failed = true;
    continue;
  }
  let changed = 0;
  for (const file of parsePatch(readFileSync(join(patchesDir, name), "utf8"))) {
    const path = join(pkgDir, file.path);
    const original = readFileSync(path, "utf8");
    let text = original;
    for (const hunk of file.hunks) {
      const before = hunk.before.join("\n");
      const after = hunk.after.join("\n");
      if (occurrences(text, before) === 1) {
        text = text.replace(before, () => after);
        changed++;
      } else if (occurrences(text, after) !== 1) {
        console.error(`patches/${name} does not apply to ${pkg}/${file.path}: the file differs from ${version}'s`);
        failed = true;
      }
    }
    if (text === original) continue;
    writeFileSync(`${path}.patching`, text);
    renameSync(`${path}.patching`, path);
  }
  if (changed > 0) console.log(`patched ${pkg} ${version} (${changed} hunks, patches/${name})`);
}
if (failed) process.exit(1);

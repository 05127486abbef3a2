import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * Part of `npm run build`: bundles tsc's output in build/ (tsc, not esbuild, compiles the
 * decorators) with its dependencies into dist/main.js and a few chunks. Node 20 resolves, reads and
 * compiles each of the ~2,000 modules the server imports on its own, which was most of start-up.
 */
const external = [
  // These read files next to their own modules (via __dirname or import.meta.url), so they must
  // stay in node_modules: PGlite its .wasm and .data, ioredis its package.json, pino the worker its
  // transports start.
  "@electric-sql/pglite",
  "ioredis",
  "pino",
  // undici loads its WebAssembly HTTP parser from a file beside its own modules.
  "undici",
  // Loaded only with OTEL_EXPORTER_OTLP_ENDPOINT; used as installed, as before, so the http
  // instrumentation patches node:http through Node's own module loader.
  "@opentelemetry/exporter-trace-otlp-http",
  "@opentelemetry/instrumentation-http",
  "@opentelemetry/sdk-node",
  // type-graphql imports it only when argument validation is on; the schema turns it off.
  "class-validator",
];

const root = join(import.meta.dirname, "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: ["build/main.js"],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Modules main imports dynamically (the app after tracing starts, federation, Redis, Postmark)
  // become chunks of their own, loaded when imported. Chunks stay at the top of dist/, one level
  // below the package root, as src/package-root.ts needs.
  splitting: true,
  outdir: "dist",
  chunkNames: "[name]-[hash]",
  external,
  // Modules share the bundle's scope, so esbuild renames top-level names two modules both use (`X`
  // becomes `X2`); type-graphql names GraphQL types after classes, so class names must stay.
  keepNames: true,
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: `import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);`,
  },
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
});

// A bundled dependency that locates its own files would look next to the bundle instead, and an
// ES module has no __dirname at all; either fails only when that code runs, so fail the build now.
// Such a dependency belongs in `external` above. esbuild heads each module's code with a
// `// path` comment and drops other comments, so the output names the culprit.
const locatesOwnFiles = Object.keys(metafile.outputs)
  .filter((output) => output.endsWith(".js"))
  .flatMap((output) => readFileSync(join(root, output), "utf8").split(/^(?=\/\/ (?:build|node_modules)\/)/m))
  .filter((module) => module.startsWith("// node_modules/") && /\b__(dirname|filename)\b|\bimport\.meta\b/.test(module))
  .map((module) => module.slice(3, module.indexOf("\n")));
if (locatesOwnFiles.length > 0) {
  throw new Error(
    `bundled dependencies locate their own files; mark their packages external:\n${locatesOwnFiles.join("\n")}`,
  );
}

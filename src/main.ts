import nodeModule from "node:module";

// Node 22.1 and later keep V8's compiled code on disk (NODE_COMPILE_CACHE, or node-compile-cache in
// the OS temp dir), so a restart skips compiling the bundle. Only modules loaded after this call are
// cached, so this entry holds nothing else: the whole server, config and its schema library
// included, is imported below it. Node 20 has no such cache and starts as before.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { start } = await import("./start.js");
start();

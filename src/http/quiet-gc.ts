import type { FastifyInstance } from "fastify";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full, synchronous collection. Called with no options on purpose: on Node 20 (V8 11.3),
 * `gc({ type: "major", execution: "sync" })` returned with the garbage still counted as used.
 */
type Collect = () => void;

/** A heap that has grown by less than this since the last collection here is left alone. */
const growthWorthCollecting = 1.25;

/**
 * V8 keeps the heap a load grew (the young generation at its semi-space maximum, old-space pages of
 * promoted request garbage) until a collection runs, and an idle server allocates too little to run
 * one: after the bench's load the server stayed at 2.5× its idle RSS for good. Once no request has
 * been answered for `quietMs`, and the heap has grown by a quarter since the last such collection
 * (so a trickle of requests does not cost a full collection each), one full collection gives the
 * pages back. `--expose-gc` is set for a throw-away context only: no code of the app or of its
 * dependencies sees a global `gc`.
 */
export function collectWhenQuiet(app: FastifyInstance, quietMs: number): void {
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as Collect;
  let collectedAt = getHeapStatistics().total_heap_size;
  let lastAnswer = 0;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const quietFor = Date.now() - lastAnswer;
    if (quietFor < quietMs) {
      timer = setTimeout(check, quietMs - quietFor).unref();
      return;
    }
    timer = undefined;
    if (getHeapStatistics().total_heap_size < collectedAt * growthWorthCollecting) return;
    collect();
    collectedAt = getHeapStatistics().total_heap_size;
  };
  app.addHook("onResponse", async () => {
    lastAnswer = Date.now();
    timer ??= setTimeout(check, quietMs).unref();
  });
  app.addHook("onClose", async () => clearTimeout(timer));
}

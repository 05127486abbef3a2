import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../src/db/client.js";
import { maxPreparedTexts, runCompiled } from "../../src/db/json-select.js";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openDatabase({ url: process.env.DATABASE_URL, dataDir: "memory://" });
});
afterAll(() => handle?.close());

describe("running compiled statements", () => {
  it("answers every text, the ones past those it keeps prepared too, twice each", async () => {
    for (let round = 0; round < 2; round++) {
      for (let index = 0; index <= maxPreparedTexts + 2; index++) {
        const rows = await runCompiled(handle.db, `select $1::int + ${index}`, ["n"], { n: round });
        expect(rows).toEqual([[round + index]]);
      }
    }
  }, 60_000);
});

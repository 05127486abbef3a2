import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../src/db/client.js";
import { sql } from "drizzle-orm";
import { CompiledTexts, maxPreparedTexts, runCompiled, sqlText, type Selection } from "../../src/db/json-select.js";

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

describe("CompiledTexts", () => {
  it("keeps texts per selection and key, up to its bound per selection", () => {
    const texts = new CompiledTexts<string>(2);
    const one: Selection = { id: {} };
    const other: Selection = { id: {} };
    expect(texts.keep(one, "a", "A")).toBe("A");
    texts.keep(one, "b", "B");
    expect(texts.keep(one, "c", "C")).toBe("C");
    expect([texts.find(one, "a"), texts.find(one, "b"), texts.find(one, "c")]).toEqual(["A", "B", undefined]);
    // Selections are told apart by identity: each document's parsed selection has its own.
    expect(texts.find(other, "a")).toBeUndefined();
  });
});

describe("sqlText", () => {
  it("renders a sort as text without parameters", () => {
    expect(sqlText([sql`a asc`, sql`b desc`])).toBe("a asc, b desc");
  });
});

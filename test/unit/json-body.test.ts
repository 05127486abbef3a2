import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanJson } from "../../src/json-body.js";
import { findUnstorableText, maxTextLength } from "../../src/storable-text.js";

function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

// Strings mixing plain text, NUL, lone and paired surrogates and backslashes.
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("\u0000", "\ud800", "\udc00", "\ud83d\ude00", "\\u0000", "a\\ub", "\\\\", '"'),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    tricky,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(tricky, tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("scanJson", () => {
  it("counts nesting as the parsed value has it", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(scanJson(JSON.stringify(value)).depth).toBe(depthOf(value));
      }),
    );
  });

  it("never calls a body storable that holds unstorable text", () => {
    fc.assert(
      fc.property(json, (value) => {
        if (scanJson(JSON.stringify(value)).storable) expect(findUnstorableText(value)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("calls ordinary bodies storable, so they need no second walk", () => {
    const body = JSON.stringify({
      query: 'query($first: Int) { customers(first: $first, filter: "café ☕ \\"quoted\\"") { items { id } } }',
      variables: { first: 25, name: "Zoë 😀", lines: "one\ntwo\ttab" },
    });
    expect(scanJson(body)).toEqual({ depth: 2, storable: true });
  });

  it("looks closer at escapes of NUL and surrogates, GraphQL literals' escapes and long bodies", () => {
    for (const text of ["a\u0000b", "\ud800", "\udc00x"]) {
      expect(scanJson(JSON.stringify({ variables: { n: text } })).storable).toBe(false);
    }
    // A GraphQL literal's escape arrives inside the JSON string as \\u.
    expect(scanJson(JSON.stringify({ query: '{ a(b: "\\u0000") }' })).storable).toBe(false);
    expect(scanJson(JSON.stringify({ s: "x".repeat(maxTextLength) })).storable).toBe(false);
  });
});

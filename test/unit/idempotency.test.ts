import { describe, expect, it } from "vitest";
import {
  idempotencyKeyProblem,
  isReplayable,
  requestFingerprint,
} from "../../src/features/idempotency/idempotency.service.js";

describe("requestFingerprint", () => {
  it("is the same for one request whatever the order of its object keys, at any depth", () => {
    expect(requestFingerprint(["POST", "/x", { a: 1, b: { c: [1, { d: 2, e: 3 }] } }])).toBe(
      requestFingerprint(["POST", "/x", { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }]),
    );
  });

  it("differs for another method, route, value or list order", () => {
    const base = requestFingerprint(["POST", "/x", { a: [1, 2] }]);
    expect(requestFingerprint(["PUT", "/x", { a: [1, 2] }])).not.toBe(base);
    expect(requestFingerprint(["POST", "/y", { a: [1, 2] }])).not.toBe(base);
    expect(requestFingerprint(["POST", "/x", { a: [2, 1] }])).not.toBe(base);
    expect(requestFingerprint(["POST", "/x", { a: [1, 2], b: null }])).not.toBe(base);
  });
});

describe("idempotencyKeyProblem", () => {
  it.each(["9b1f2c7e-4a51-4f0e-a8a4-1d2f3e4a5b6c", "a", "x".repeat(255), "order:42/retry#1"])("accepts %s", (key) => {
    expect(idempotencyKeyProblem(key)).toBeNull();
  });

  it.each(["", "with space", "x".repeat(256), "tab\there", "ünïcode"])("refuses %j", (key) => {
    expect(idempotencyKeyProblem(key)).toMatch(/1 to 255 printable ASCII/);
  });
});

describe("isReplayable", () => {
  it("keeps what the operation decided, not what stopped it running", () => {
    expect([200, 400, 403, 404, 422].map(isReplayable)).toEqual([true, true, true, true, true]);
    expect([401, 429, 500, 503].map(isReplayable)).toEqual([false, false, false, false]);
  });
});

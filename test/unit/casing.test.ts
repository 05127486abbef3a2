import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseKey, caseKeys, casePath } from "../../src/rest/casing.js";

const upperFirst = (key: string) => (key ? key[0]!.toUpperCase() + key.slice(1) : key);
const camelKey = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,10}$/);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(camelKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("caseKey", () => {
  it("upper-cases the first letter for pascal documents only", () => {
    expect(caseKey("customerNumber", "pascal")).toBe("CustomerNumber");
    expect(caseKey("customerNumber", "camel")).toBe("customerNumber");
    expect(caseKey("", "pascal")).toBe("");
  });
});

describe("caseKeys", () => {
  it("renames keys deeply, through lists, and leaves values alone", () => {
    const result = { organization: { id: "1", name: "acme", users: [{ firstName: "ada", roles: ["admin"] }] } };
    expect(caseKeys(result, "pascal")).toEqual({
      Organization: { Id: "1", Name: "acme", Users: [{ FirstName: "ada", Roles: ["admin"] }] },
    });
  });

  it("renames keys of null-prototype objects, as graphql-js builds results", () => {
    const row = Object.assign(Object.create(null), { totalCount: 2 });
    expect(caseKeys({ page: row }, "pascal")).toEqual({ Page: { TotalCount: 2 } });
  });

  it("leaves class instances such as dates as they are", () => {
    const at = new Date(0);
    expect((caseKeys({ createdAt: at }, "pascal") as { CreatedAt: Date }).CreatedAt).toBe(at);
  });

  it("returns any value unchanged for camel documents", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(caseKeys(value, "camel")).toBe(value);
      }),
    );
  });

  it("keeps every value and only upper-cases each key's first letter", () => {
    const lowerFirst = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(lowerFirst)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), lowerFirst(v)]))
          : value;
    const keysOf = (value: unknown): string[] =>
      Array.isArray(value)
        ? value.flatMap(keysOf)
        : value && typeof value === "object"
          ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
          : [];
    fc.assert(
      fc.property(json, (value) => {
        const cased = caseKeys(value, "pascal");
        expect(lowerFirst(cased)).toEqual(value);
        expect(keysOf(cased)).toEqual(keysOf(value).map(upperFirst));
      }),
    );
  });
});

describe("casePath", () => {
  it("cases every segment of an error path", () => {
    expect(casePath("organization.billingCity", "pascal")).toBe("Organization.BillingCity");
    expect(casePath("user.email", "camel")).toBe("user.email");
  });

  it("cases a path as its segments", () => {
    fc.assert(
      fc.property(fc.array(camelKey, { minLength: 1, maxLength: 5 }), (segments) => {
        expect(casePath(segments.join("."), "pascal")).toBe(segments.map(upperFirst).join("."));
        expect(casePath(segments.join("."), "camel")).toBe(segments.join("."));
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { BadInputError } from "../../src/errors.js";
import { InputCheck, isEmail } from "../../src/validation.js";

/** Runs `use` on a fresh check and returns what `done()` threw, or undefined when it passed. */
function check(use: (input: InputCheck) => void): BadInputError | undefined {
  const input = new InputCheck();
  use(input);
  try {
    input.done();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return error as BadInputError;
  }
}

const errorsOf = (use: (input: InputCheck) => void) => check(use)?.details.errors;

describe("InputCheck.text", () => {
  it("trims and returns the text", () => {
    let value = "";
    expect(check((input) => (value = input.text("name", "  Acme  ")))).toBeUndefined();
    expect(value).toBe("Acme");
  });

  it.each([undefined, null, "", "   "])("requires a value (%o)", (value) => {
    expect(errorsOf((input) => input.text("name", value))).toEqual({ name: "is required" });
  });

  it("limits the length to 200 by default, or the rule's bounds", () => {
    expect(errorsOf((input) => input.text("name", "x".repeat(200)))).toBeUndefined();
    expect(errorsOf((input) => input.text("name", "x".repeat(201)))).toEqual({
      name: "must be at most 200 characters",
    });
    expect(errorsOf((input) => input.text("code", "abcd", { max: 3 }))).toEqual({
      code: "must be at most 3 characters",
    });
    expect(errorsOf((input) => input.text("password", "short", { min: 12 }))).toEqual({
      password: "must be at least 12 characters",
    });
  });
});

describe("InputCheck.optionalText", () => {
  it("keeps undefined as not given and turns blank into null", () => {
    const input = new InputCheck();
    expect(input.optionalText("city", undefined)).toBeUndefined();
    expect(input.optionalText("city", null)).toBeNull();
    expect(input.optionalText("city", "  ")).toBeNull();
    expect(input.optionalText("city", " Miami ")).toBe("Miami");
    expect(() => input.done()).not.toThrow();
  });

  it("limits the length of a given value", () => {
    expect(errorsOf((input) => input.optionalText("city", "x".repeat(201)))).toEqual({
      city: "must be at most 200 characters",
    });
  });
});

describe("InputCheck.email", () => {
  it.each(["ada@example.com", "first.last+tag@sub.example.co", "o'neil@example.org"])("accepts %s", (email) => {
    expect(errorsOf((input) => input.email("email", email))).toBeUndefined();
  });

  it.each(["plain", "@example.com", "ada@", "ada@example", "ada@@example.com", "a da@example.com", "ada@example..com"])(
    "refuses %s",
    (email) => {
      expect(errorsOf((input) => input.email("email", email))).toEqual({ email: "must be a valid e-mail address" });
    },
  );

  it("requires a value; the optional form does not", () => {
    expect(errorsOf((input) => input.email("email", ""))).toEqual({ email: "is required" });
    expect(errorsOf((input) => input.optionalEmail("email", ""))).toBeUndefined();
    expect(errorsOf((input) => input.optionalEmail("email", "nope"))).toEqual({
      email: "must be a valid e-mail address",
    });
  });

  it("refuses addresses past the length limits", () => {
    expect(isEmail(`${"a".repeat(64)}@example.com`)).toBe(true);
    expect(isEmail(`${"a".repeat(65)}@example.com`)).toBe(false);
    expect(errorsOf((input) => input.email("email", `a@${"b".repeat(250)}.com`))).toEqual({
      email: "must be a valid e-mail address",
    });
  });
});

describe("InputCheck.phone", () => {
  it("accepts digits, spaces and + ( ) - . x, and no phone at all", () => {
    for (const phone of ["555-555-5555", "+1 (305) 555.0100 x12", undefined, null, ""]) {
      expect(
        errorsOf((input) => input.phone("phone", phone)),
        String(phone),
      ).toBeUndefined();
    }
  });

  it.each(["call me", "12", "555;drop"])("refuses %s", (phone) => {
    expect(errorsOf((input) => input.phone("phone", phone))).toEqual({
      phone: "may contain only digits, spaces and + ( ) - . x",
    });
  });
});

describe("InputCheck.currency", () => {
  it("upper-cases a known ISO 4217 code", () => {
    const input = new InputCheck();
    expect(input.currency("currencyCode", " usd ")).toBe("USD");
    expect(input.currency("currencyCode", "EUR")).toBe("EUR");
    expect(() => input.done()).not.toThrow();
  });

  it("refuses unknown codes, too long codes and no code", () => {
    expect(errorsOf((input) => input.currency("currencyCode", "XYZ"))).toEqual({
      currencyCode: "must be an ISO 4217 currency code such as USD",
    });
    expect(errorsOf((input) => input.currency("currencyCode", "USDX"))).toEqual({
      currencyCode: "must be an ISO 4217 currency code such as USD",
    });
    expect(errorsOf((input) => input.currency("currencyCode", ""))).toEqual({ currencyCode: "is required" });
  });
});

describe("InputCheck.url", () => {
  it("accepts http(s) URLs and no URL at all", () => {
    for (const url of ["https://example.com/logo.png", "HTTP://example.com", undefined, ""]) {
      expect(
        errorsOf((input) => input.url("logoUrl", url)),
        String(url),
      ).toBeUndefined();
    }
  });

  it.each(["ftp://example.com", "javascript:alert(1)", "https://exa mple.com", "example.com"])("refuses %s", (url) => {
    expect(errorsOf((input) => input.url("logoUrl", url))).toEqual({ logoUrl: "must be an http(s) URL" });
  });
});

describe("InputCheck.done", () => {
  it("names the field and its problem when one field is wrong", () => {
    const error = check((input) => {
      input.text("organization.name", "Acme");
      input.email("user.email", "nope");
    });
    expect(error?.message).toBe("user.email must be a valid e-mail address");
    expect(error?.code).toBe("BAD_USER_INPUT");
    expect(error?.details.errors).toEqual({ "user.email": "must be a valid e-mail address" });
  });

  it("collects every wrong field before refusing, and counts them", () => {
    const error = check((input) => {
      input.text("organization.name", "");
      input.email("user.email", "nope");
      input.currency("currencyCode", "ZZZ");
      input.fail("user.password", "is too weak");
    });
    expect(error?.message).toBe("The input has 4 invalid fields");
    expect(error?.details.errors).toEqual({
      "organization.name": "is required",
      "user.email": "must be a valid e-mail address",
      currencyCode: "must be an ISO 4217 currency code such as USD",
      "user.password": "is too weak",
    });
  });

  it("keeps the first problem found for a field when a caller's rule fails it again", () => {
    expect(
      errorsOf((input) => {
        input.text("name", "");
        input.fail("name", "is taken");
      }),
    ).toEqual({ name: "is required" });
  });
});

import { describe, expect, it, vi } from "vitest";
import {
  AppError,
  BadInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  classifyError,
} from "../../src/errors.js";
import { DatabaseTimeoutError } from "../../src/db/bounded-client.js";
import { isDatabaseUnavailable } from "../../src/db/errors.js";

const internal = { code: "INTERNAL_SERVER_ERROR", message: "An unexpected error occurred" };

describe("classifyError", () => {
  it.each([
    [new UnauthenticatedError(), { code: "UNAUTHENTICATED", message: "A valid bearer token is required" }],
    [new ForbiddenError(), { code: "FORBIDDEN", message: "Your token does not grant access to this operation" }],
    [new NotFoundError("No such customer"), { code: "NOT_FOUND", message: "No such customer" }],
    [
      new ConflictError("Taken", { email: "is taken" }),
      { code: "CONFLICT", message: "Taken", errors: { email: "is taken" } },
    ],
    [
      BadInputError.field("user.email", "is required"),
      { code: "BAD_USER_INPUT", message: "user.email is required", errors: { "user.email": "is required" } },
    ],
    [
      new TooManyRequestsError(30),
      { code: "TOO_MANY_REQUESTS", message: "Too many requests; try again later", retryAfter: 30 },
    ],
  ])("passes our own %o through with its details, reporting nothing", (error, expected) => {
    const report = vi.fn();
    expect(classifyError(error, report)).toEqual(expected);
    expect(report).not.toHaveBeenCalled();
  });

  it.each([
    new Error('duplicate key value violates unique constraint "users_email_key"'),
    new TypeError("Cannot read properties of undefined (reading 'id')"),
    new AppError("INTERNAL_SERVER_ERROR", "pool exhausted at db.internal:5432"),
    "a thrown string",
    undefined,
    { code: "FORBIDDEN", message: "a look-alike that is not an AppError" },
  ])("turns anything else (%o) into one internal error and reports it once", (error) => {
    const report = vi.fn();
    expect(classifyError(error, report)).toEqual(internal);
    expect(report).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith(error);
  });
});

describe("the database briefly out of reach", () => {
  const report = () => undefined;
  /** What postgres.js rejects a query with: its own code, and the query's text attached. */
  const driverError = (code: string) => Object.assign(new Error(code), { code, query: "select 1" });

  it("is SERVICE_UNAVAILABLE with a Retry-After, behind drizzle's wrapper or not", () => {
    for (const error of [
      driverError("CONNECTION_CLOSED"),
      driverError("CONNECT_TIMEOUT"),
      driverError("ECONNREFUSED"),
      driverError("57P01"),
      driverError("57014"),
      driverError("08006"),
      new Error("Failed query", { cause: driverError("CONNECTION_DESTROYED") }),
      new Error("Failed query", { cause: new DatabaseTimeoutError("acquire", 5000) }),
    ]) {
      expect(classifyError(error, report)).toEqual({
        code: "SERVICE_UNAVAILABLE",
        message: "The service is briefly unavailable; try again shortly",
        retryAfter: 2,
      });
    }
  });

  it("is not a network error of something else (Redis), nor a constraint the request broke", () => {
    const redis = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(classifyError(redis, report).code).toBe("INTERNAL_SERVER_ERROR");
    expect(isDatabaseUnavailable(driverError("23503"))).toBe(false);
  });
});

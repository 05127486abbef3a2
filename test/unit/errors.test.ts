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

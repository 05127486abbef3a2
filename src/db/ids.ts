import { randomBytes } from "node:crypto";

/** 24 hex characters, the id shape the reference documents show. */
export function newId(): string {
  return randomBytes(12).toString("hex");
}

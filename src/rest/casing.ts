import type { Casing } from "./route.js";

const upperFirst = (key: string) => (key ? key[0]!.toUpperCase() + key.slice(1) : key);

export function caseKey(key: string, casing: Casing): string {
  return casing === "pascal" ? upperFirst(key) : key;
}

/** Renames keys of plain objects, deeply; the document selection already has the right words. */
export function caseKeys(value: unknown, casing: Casing): unknown {
  if (casing === "camel") return value;
  if (Array.isArray(value)) return value.map((item) => caseKeys(item, casing));
  // graphql-js builds result objects with a null prototype.
  const proto = value && typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    return Object.fromEntries(
      Object.entries(value as object).map(([key, item]) => [caseKey(key, casing), caseKeys(item, casing)]),
    );
  }
  return value;
}

/** `organization.name` → `Organization.Name` for a PascalCase document. */
export function casePath(path: string, casing: Casing): string {
  return path
    .split(".")
    .map((part) => caseKey(part, casing))
    .join(".");
}

export const roles = ["Admin", "Customer", "SalesRep"] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/**
 * Roles an API client may hold. Customer and SalesRep are a person's: they come from a user's
 * customer association or rep assignment, so a machine has nothing to hold them by.
 */
export const clientRoles = ["Admin"] as const satisfies readonly Role[];

export function isClientRole(value: unknown): value is (typeof clientRoles)[number] {
  return typeof value === "string" && (clientRoles as readonly string[]).includes(value);
}

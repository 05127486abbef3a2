import type { Role } from "./roles.js";

/**
 * The closed catalogue of permissions: every root field and REST route declares which of these it
 * needs, and every role, built-in or custom, is a set of them. `seller` permissions are held by an
 * organization's members and API clients; `buyer` permissions by users through their customer
 * association. `person`: the permission acts on the caller's own person (its rep assignment, its
 * customer), so an API client can never hold it. docs/permissions.md lists the same entries.
 */
export const permissionCatalogue = {
  "organization.read": { side: "seller", person: false, description: "Read the organization and its settings" },
  "organization.manage": {
    side: "seller",
    person: false,
    description: "Change the organization's name, address and pricing settings",
  },
  "users.read": {
    side: "seller",
    person: false,
    description: "List members, admins and customer associations",
  },
  "users.manage": {
    side: "seller",
    person: false,
    description: "Add members, make and remove admins, associate users with customers and give them buyer roles",
  },
  "sales_reps.read": { side: "seller", person: false, description: "List the organization's sales reps" },
  "sales_reps.manage": {
    side: "seller",
    person: false,
    description:
      "Add, create, renumber, activate, deactivate and remove sales reps, set their access and define sales-rep roles",
  },
  "customers.read": { side: "seller", person: false, description: "Read every customer of the organization" },
  "customers.read_assigned": {
    side: "seller",
    person: true,
    description: "Read the customers in the caller's own sales-rep scope",
  },
  "customers.manage": { side: "seller", person: false, description: "Create and update customers" },
  "price_tiers.read": { side: "seller", person: false, description: "List price tiers" },
  "price_tiers.manage": { side: "seller", person: false, description: "Create, rename and delete price tiers" },
  "audit.read": { side: "seller", person: false, description: "Read the organization's audit trail" },
  "webhooks.manage": {
    side: "seller",
    person: false,
    description: "Manage webhook endpoints, read and replay deliveries",
  },
  "api_clients.manage": { side: "seller", person: false, description: "Create, list and revoke API clients" },
  "roles.read": { side: "seller", person: false, description: "List the organization's roles" },
  "roles.manage": {
    side: "seller",
    person: false,
    description: "Create, change and delete custom roles, and give seller roles to members and API clients",
  },
  "customer.users.read": {
    side: "buyer",
    person: true,
    description: "List the users of the customers the caller reaches and their roles",
  },
  "customer.users.manage": {
    side: "buyer",
    person: true,
    description: "Invite and remove users of the customers the caller reaches and change their buyer roles",
  },
  "customer.addresses.read": {
    side: "buyer",
    person: true,
    description: "Read the addresses of the customers the caller reaches",
  },
  "customer.addresses.manage": {
    side: "buyer",
    person: true,
    description: "Create, change and delete the addresses of the customers the caller reaches",
  },
  "customer.profile.read": { side: "buyer", person: true, description: "Read one's own profile as a customer user" },
  "orders.place": { side: "buyer", person: true, description: "Place orders for the customer" },
  "orders.view_all": {
    side: "buyer",
    person: true,
    description: "See every order of the customer, not only one's own",
  },
  "orders.approve": { side: "buyer", person: true, description: "Approve orders of the customer" },
  "quotes.request": { side: "buyer", person: true, description: "Request quotes for the customer" },
} as const satisfies Record<string, { side: "seller" | "buyer"; person: boolean; description: string }>;

export type Permission = keyof typeof permissionCatalogue;
export type RoleSide = "seller" | "buyer";

export const allPermissions = Object.keys(permissionCatalogue) as Permission[];

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && Object.hasOwn(permissionCatalogue, value);
}

export const permissionsOfSide = (side: RoleSide): Permission[] =>
  allPermissions.filter((permission) => permissionCatalogue[permission].side === side);

/** Whether an API client may hold the permission: it has no person to hold it by. */
export const needsPerson = (permission: Permission): boolean => permissionCatalogue[permission].person;

/**
 * What each built-in role holds. Admin is every seller permission; SalesRep reads the customers in
 * its scope; Customer holds what its association's buyer roles give (`buyer` unless changed), so
 * its set here is the `buyer` role's and serves tokens issued before associations had roles.
 */
export const builtInRolePermissions: Record<Role, readonly Permission[]> = {
  Admin: permissionsOfSide("seller").filter((permission) => permission !== "customers.read_assigned"),
  SalesRep: ["customers.read_assigned"],
  Customer: ["customer.addresses.read", "customer.profile.read", "orders.place", "quotes.request"],
};

/** The buyer roles every organization has; their keys are reserved and they cannot be changed. */
export const builtInBuyerRoles = {
  "customer-admin": {
    name: "Customer admin",
    description: "Every buyer permission, including managing the customer's own users",
    permissions: permissionsOfSide("buyer"),
  },
  buyer: {
    name: "Buyer",
    description: "What a customer user could always do: its profile, orders and quotes",
    permissions: builtInRolePermissions.Customer,
  },
} as const satisfies Record<string, { name: string; description: string; permissions: readonly Permission[] }>;

export type BuiltInBuyerRole = keyof typeof builtInBuyerRoles;

export const defaultBuyerRole: BuiltInBuyerRole = "buyer";

export function isBuiltInBuyerRole(key: string): key is BuiltInBuyerRole {
  return Object.hasOwn(builtInBuyerRoles, key);
}

/** The union of the built-in roles' permissions. */
export function permissionsOfRoles(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => builtInRolePermissions[role]));
}

/** What an actor's standing in one organization adds up to, as the per-request statement reads it. */
export interface Standing {
  roles: readonly Role[];
  /** Permissions of the custom seller roles held (a member's or an API client's). */
  sellerPermissions: readonly string[];
  /** The buyer role keys of the user's customer association; null without one. */
  buyerRoleKeys: readonly string[] | null;
  /** Permissions of the custom buyer roles among those keys. */
  buyerPermissions: readonly string[];
  /** An API client: nothing that needs a person. */
  client: boolean;
}

/**
 * Every permission a standing holds. Customer contributes its association's buyer roles rather
 * than a fixed set, so changing a user's buyer roles changes what its Customer role can do.
 */
export function heldPermissions(standing: Standing): Permission[] {
  const held = new Set<Permission>();
  const add = (values: readonly string[]) => values.filter(isPermission).forEach((value) => held.add(value));
  for (const role of standing.roles) if (role !== "Customer") add(builtInRolePermissions[role]);
  add(standing.sellerPermissions);
  if (standing.buyerRoleKeys) {
    for (const key of standing.buyerRoleKeys) if (isBuiltInBuyerRole(key)) add(builtInBuyerRoles[key].permissions);
    add(standing.buyerPermissions);
  }
  // In catalogue order, so tokens and answers list them alike.
  return allPermissions.filter((permission) => held.has(permission) && !(standing.client && needsPerson(permission)));
}

/**
 * Whether holding `held` is enough to give `permission` to someone else. Reading every customer
 * covers reading the customers of a rep scope, which Admin does not hold as such.
 */
export function mayGive(held: ReadonlySet<Permission>, permission: Permission): boolean {
  return held.has(permission) || (permission === "customers.read_assigned" && held.has("customers.read"));
}

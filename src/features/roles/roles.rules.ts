import { requires, type AccessDeclarations } from "../../auth/access.js";

export const roleAccess = {
  Query: {
    roles: requires("roles.read"),
  },
  Mutation: {
    createRole: requires("roles.manage"),
    updateRole: requires("roles.manage"),
    deleteRole: requires("roles.manage"),
    setUserRoles: requires("roles.manage"),
  },
} satisfies AccessDeclarations;

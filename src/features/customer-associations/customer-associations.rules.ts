import { requires, type AccessDeclarations } from "../../auth/access.js";

export const customerAssociationAccess = {
  Query: {
    userCustomerAssociations: requires("users.read"),
    customerAssociation: requires("users.read"),
    customerAssociations: requires("users.read"),
  },
  Mutation: {
    associateUserCustomer: requires("users.manage"),
    dissociateUserCustomer: requires("users.manage"),
    setCustomerUserRoles: requires("users.manage"),
  },
} satisfies AccessDeclarations;

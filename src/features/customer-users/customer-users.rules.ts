import { requires, type AccessDeclarations } from "../../auth/access.js";

/** A customer's own people, scoped by the service to the caller's customer (buyerScope). */
export const customerUserAccess = {
  Query: {
    myCustomerUsers: requires("customer.users.read", "customer.users.manage"),
  },
  Mutation: {
    inviteCustomerUser: requires("customer.users.manage"),
    setMyCustomerUserRoles: requires("customer.users.manage"),
    removeMyCustomerUser: requires("customer.users.manage"),
  },
} satisfies AccessDeclarations;

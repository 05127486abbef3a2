import { requires, type AccessDeclarations } from "../../auth/access.js";

export const customerAccess = {
  Query: {
    customers: requires("customers.read"),
    // Every customer with customers.read; a sales rep only its own, which the service decides per customer.
    customer: requires("customers.read", "customers.read_assigned"),
    // A buyer, or a rep acting for a customer; the service answers only the customer the token names.
    myCustomer: requires("customer.profile.read", "customers.read_assigned"),
  },
  Mutation: {
    upsertCustomer: requires("customers.manage"),
    upsertCustomers: requires("customers.manage"),
  },
} satisfies AccessDeclarations;

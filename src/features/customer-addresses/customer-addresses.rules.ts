import { requires, type AccessDeclarations } from "../../auth/access.js";

export const customerAddressAccess = {
  Query: {
    // Every customer's with customers.read; a buyer or a rep only the customer it acts for, which the service decides.
    customerAddresses: requires("customers.read", "customer.addresses.read", "customers.read_assigned"),
  },
  Mutation: {
    // A buyer with customer.addresses.manage only its own customer's, which the service decides.
    upsertCustomerAddresses: requires("customers.manage", "customer.addresses.manage"),
    deleteCustomerAddress: requires("customers.manage", "customer.addresses.manage"),
  },
} satisfies AccessDeclarations;

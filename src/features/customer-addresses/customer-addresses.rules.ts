import { hasAccess, isAdmin } from "../../graphql/rules.js";

export const customerAddressRules = {
  Query: {
    // Any access token; the service admits admins and a token acting for that customer.
    customerAddresses: hasAccess,
  },
  Mutation: {
    upsertCustomerAddresses: isAdmin,
    deleteCustomerAddress: isAdmin,
  },
};

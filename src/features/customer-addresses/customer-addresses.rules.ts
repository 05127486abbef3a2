import { ForbiddenError } from "../../errors.js";
import { isAdmin, ruleFrom } from "../../graphql/rules.js";

/** Admins read any customer's addresses; a customer its own, which the service decides. */
const isAdminOrCustomer = ruleFrom("isAdminOrCustomer", async (ctx) => {
  const grant = await ctx.auth.access();
  if (!grant.roles.includes("Admin") && !grant.roles.includes("Customer")) {
    throw new ForbiddenError("This operation requires the Admin or Customer role");
  }
});

export const customerAddressRules = {
  Query: {
    customerAddresses: isAdminOrCustomer,
  },
  Mutation: {
    upsertCustomerAddresses: isAdmin,
    deleteCustomerAddress: isAdmin,
  },
};

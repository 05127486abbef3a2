import { ForbiddenError } from "../../errors.js";
import { isAdmin, ruleFrom, type Check } from "../../graphql/rules.js";

/** Admins see every customer; a sales rep only its own, which the service decides per customer. */
export const requireAdminOrSalesRep: Check = async (ctx) => {
  const grant = await ctx.auth.access();
  if (!grant.roles.includes("Admin") && !grant.roles.includes("SalesRep")) {
    throw new ForbiddenError("This operation requires the Admin or SalesRep role");
  }
};

const isAdminOrSalesRep = ruleFrom("isAdminOrSalesRep", requireAdminOrSalesRep);

/** A customer, or a rep acting for one; the service answers only the customer the token names. */
const isCustomerOrSalesRep = ruleFrom("isCustomerOrSalesRep", async (ctx) => {
  const grant = await ctx.auth.access();
  if (!grant.roles.includes("Customer") && !grant.roles.includes("SalesRep")) {
    throw new ForbiddenError("This operation requires the Customer or SalesRep role");
  }
});

export const customerRules = {
  Query: {
    customers: isAdmin,
    customer: isAdminOrSalesRep,
    myCustomer: isCustomerOrSalesRep,
  },
  Mutation: {
    upsertCustomer: isAdmin,
    upsertCustomers: isAdmin,
  },
};

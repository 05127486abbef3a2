import { ForbiddenError } from "../../errors.js";
import { hasAccess, isAdmin, ruleFrom, type Check } from "../../graphql/rules.js";

/** Admins see every customer; a sales rep only its own, which the service decides per customer. */
export const requireAdminOrSalesRep: Check = async (ctx) => {
  const grant = await ctx.auth.access();
  if (!grant.roles.includes("Admin") && !grant.roles.includes("SalesRep")) {
    throw new ForbiddenError("This operation requires the Admin or SalesRep role");
  }
};

const isAdminOrSalesRep = ruleFrom("isAdminOrSalesRep", requireAdminOrSalesRep);

export const customerRules = {
  Query: {
    customers: isAdmin,
    customer: isAdminOrSalesRep,
    // Any access token; the service answers only the customer the token acts for.
    myCustomer: hasAccess,
  },
  Mutation: {
    upsertCustomer: isAdmin,
    upsertCustomers: isAdmin,
  },
};

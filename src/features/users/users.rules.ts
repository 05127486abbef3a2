import { ForbiddenError } from "../../errors.js";
import {
  emailLookupLimited,
  hasIdentityOr,
  isAdmin,
  isCustomer,
  publicWithin,
  rateLimited,
  type Check,
} from "../../graphql/rules.js";

/** Who may read a User entity: an admin (as createUser) or a customer (as profile, its own only). */
export const requireAdminOrCustomer: Check = async (ctx) => {
  const grant = await ctx.auth.access();
  if (!grant.roles.includes("Admin") && !grant.roles.includes("Customer")) {
    throw new ForbiddenError("This operation requires the Admin or Customer role");
  }
};

export const userRules = {
  Query: {
    profile: isCustomer,
    userExists: publicWithin(rateLimited("userExists", 10, 60), emailLookupLimited),
    myOrganizations: hasIdentityOr("Admin"),
    organizationUsers: isAdmin,
  },
  Mutation: {
    createUser: isAdmin,
  },
};

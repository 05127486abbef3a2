import { anyone, identityOr, limited, looksUpEmail, requires, type AccessDeclarations } from "../../auth/access.js";

export const userAccess = {
  Query: {
    profile: requires("customer.profile.read"),
    userExists: looksUpEmail(limited(anyone, 10, 60)),
    myOrganizations: identityOr("organization.read"),
    organizationUsers: requires("users.read"),
  },
  Mutation: {
    createUser: requires("users.manage"),
  },
} satisfies AccessDeclarations;

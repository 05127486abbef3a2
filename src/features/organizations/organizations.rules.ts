import { anyone, limited, requires, type AccessDeclarations } from "../../auth/access.js";

export const organizationAccess = {
  Query: {
    organization: requires("organization.read"),
    organizationAdmins: requires("users.read"),
  },
  Mutation: {
    // Public sign-up: each one creates a tenant and a user, so a script must not mint thousands.
    createOrganization: limited(anyone, (config) => config.SIGN_UP_RATE_LIMIT, 3600),
    updateOrganization: requires("organization.manage"),
    assignOrganizationAdmin: requires("users.manage"),
    removeOrganizationAdmin: requires("users.manage"),
  },
} satisfies AccessDeclarations;

import { anyone, limited, looksUpEmail, requires, type AccessDeclarations } from "../../auth/access.js";

export const organizationAccess = {
  Query: {
    organization: requires("organization.read"),
    organizationAdmins: requires("users.read"),
  },
  Mutation: {
    // Public sign-up: each one creates a tenant and a user, so a script must not mint thousands.
    // Its refusal of a registered address without its password tells that the address exists.
    createOrganization: looksUpEmail(limited(anyone, (config) => config.SIGN_UP_RATE_LIMIT, 3600)),
    updateOrganization: requires("organization.manage"),
    // The documents answer 400 for an unknown address, so each call is an e-mail lookup.
    assignOrganizationAdmin: looksUpEmail(requires("users.manage")),
    removeOrganizationAdmin: requires("users.manage"),
  },
} satisfies AccessDeclarations;

import { isAdmin, isPublic } from "../../graphql/rules.js";

export const organizationRules = {
  Query: {
    organization: isAdmin,
    organizationAdmins: isAdmin,
  },
  Mutation: {
    createOrganization: isPublic,
    updateOrganization: isAdmin,
    assignOrganizationAdmin: isAdmin,
    removeOrganizationAdmin: isAdmin,
  },
};

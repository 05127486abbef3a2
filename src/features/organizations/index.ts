import type { Feature } from "../feature.js";
import { organizationRoutes } from "./organizations.routes.js";
import { organizationAccess } from "./organizations.rules.js";
import { organizationReference } from "./organizations.service.js";
import { AssignOrganizationAdminResolver } from "./resolvers/assign-organization-admin.resolver.js";
import { CreateOrganizationResolver } from "./resolvers/create-organization.resolver.js";
import { OrganizationAdminsResolver } from "./resolvers/organization-admins.resolver.js";
import { OrganizationFieldsResolver } from "./resolvers/organization-fields.resolver.js";
import { OrganizationQueryResolver } from "./resolvers/organization.resolver.js";
import { RemoveOrganizationAdminResolver } from "./resolvers/remove-organization-admin.resolver.js";
import { UpdateOrganizationResolver } from "./resolvers/update-organization.resolver.js";

export const organizationsFeature: Feature = {
  name: "organizations",
  description: "Sign-up, the organization's details and its admins",
  resolvers: [
    CreateOrganizationResolver,
    OrganizationQueryResolver,
    OrganizationFieldsResolver,
    UpdateOrganizationResolver,
    OrganizationAdminsResolver,
    AssignOrganizationAdminResolver,
    RemoveOrganizationAdminResolver,
  ],
  access: organizationAccess,
  routes: organizationRoutes,
  entities: {
    Organization: { readAs: ["organization"], find: organizationReference },
  },
};

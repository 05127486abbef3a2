import type { Feature } from "../feature.js";
import { membershipRoutes } from "./memberships.routes.js";
import { membershipAccess } from "./memberships.rules.js";
import { LeaveOrganizationResolver } from "./resolvers/leave-organization.resolver.js";
import { RemoveOrganizationUserResolver } from "./resolvers/remove-organization-user.resolver.js";

export const membershipsFeature: Feature = {
  name: "memberships",
  description: "Leaving an organization from the link in its mail",
  resolvers: [RemoveOrganizationUserResolver, LeaveOrganizationResolver],
  access: membershipAccess,
  routes: membershipRoutes,
};

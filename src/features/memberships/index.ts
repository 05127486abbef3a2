import type { Feature } from "../feature.js";
import { membershipRoutes } from "./memberships.routes.js";
import { membershipAccess } from "./memberships.rules.js";
import { LeaveOrganizationResolver } from "./resolvers/leave-organization.resolver.js";
import { RemoveOrganizationUserResolver } from "./resolvers/remove-organization-user.resolver.js";

export const membershipsFeature: Feature = {
  name: "memberships",
  resolvers: [RemoveOrganizationUserResolver, LeaveOrganizationResolver],
  access: membershipAccess,
  routes: membershipRoutes,
};

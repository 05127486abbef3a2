import type { Feature } from "../feature.js";
import { membershipRoutes } from "./memberships.routes.js";
import { membershipRules } from "./memberships.rules.js";
import { LeaveOrganizationResolver } from "./resolvers/leave-organization.resolver.js";
import { RemoveOrganizationUserResolver } from "./resolvers/remove-organization-user.resolver.js";

export const membershipsFeature: Feature = {
  name: "memberships",
  resolvers: [RemoveOrganizationUserResolver, LeaveOrganizationResolver],
  rules: membershipRules,
  routes: membershipRoutes,
};

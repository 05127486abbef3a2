import type { Feature } from "../feature.js";
import { CreateUserResolver } from "./resolvers/create-user.resolver.js";
import { MyOrganizationsResolver } from "./resolvers/my-organizations.resolver.js";
import { OrganizationUsersResolver } from "./resolvers/organization-users.resolver.js";
import { ProfileResolver } from "./resolvers/profile.resolver.js";
import { UserExistsResolver } from "./resolvers/user-exists.resolver.js";
import { userRoutes } from "./users.routes.js";
import { userAccess } from "./users.rules.js";
import { userReference } from "./users.service.js";

export const usersFeature: Feature = {
  name: "users",
  description: "People: members of the organization and their own accounts",
  resolvers: [
    CreateUserResolver,
    ProfileResolver,
    UserExistsResolver,
    MyOrganizationsResolver,
    OrganizationUsersResolver,
  ],
  access: userAccess,
  routes: userRoutes,
  entities: {
    User: { readAs: ["organizationUsers", "profile"], find: userReference },
  },
};

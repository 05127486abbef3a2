import type { Feature } from "../feature.js";
import { AccessResolver } from "./resolvers/access.resolver.js";
import { SignInResolver } from "./resolvers/sign-in.resolver.js";
import { sessionRoutes } from "./sessions.routes.js";
import { sessionAccess } from "./sessions.rules.js";

export const sessionsFeature: Feature = {
  name: "sessions",
  resolvers: [SignInResolver, AccessResolver],
  access: sessionAccess,
  routes: sessionRoutes,
};

import type { Feature } from "../feature.js";
import { AccessResolver } from "./resolvers/access.resolver.js";
import { ChangePasswordResolver } from "./resolvers/change-password.resolver.js";
import { PasswordResetResolver } from "./resolvers/password-reset.resolver.js";
import { SignInResolver } from "./resolvers/sign-in.resolver.js";
import { SignOutResolver } from "./resolvers/sign-out.resolver.js";
import { sessionRoutes } from "./sessions.routes.js";
import { sessionAccess } from "./sessions.rules.js";

export const sessionsFeature: Feature = {
  name: "sessions",
  description: "Sign-in, access tokens, passwords and their reset",
  resolvers: [SignInResolver, AccessResolver, SignOutResolver, ChangePasswordResolver, PasswordResetResolver],
  access: sessionAccess,
  routes: sessionRoutes,
};

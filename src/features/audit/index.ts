import type { Feature } from "../feature.js";
import { auditRoutes } from "./audit.routes.js";
import { auditAccess } from "./audit.rules.js";
import { AuditEventsResolver } from "./resolvers/audit-events.resolver.js";

export const auditFeature: Feature = {
  name: "audit",
  description: "The organization's audit trail: who changed what, when",
  resolvers: [AuditEventsResolver],
  access: auditAccess,
  routes: auditRoutes,
};

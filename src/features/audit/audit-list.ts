import type { ListSpec } from "../../pagination.js";
import { auditEvents } from "./audit.tables.js";

/** How the audit trail sorts; its own module so the GraphQL sort enum and the service share it. */
export const auditList: ListSpec = {
  sortFields: { OccurredAt: auditEvents.createdAt, Operation: auditEvents.operation },
  defaultSort: "OccurredAt",
  tieBreaker: auditEvents.id,
};

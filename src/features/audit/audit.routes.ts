import { pageArguments, pageVariables } from "../../rest/list-arguments.js";
import { defineRoute, objectSchema, propertiesOf } from "../../rest/route.js";

export const auditRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/organizations/audit-events",
    casing: "pascal",
    operation: `query AuditEvents(${pageVariables("AuditEventSortField")}, $actorId: String, $operation: String, $targetId: String, $from: String, $to: String) {
      auditEvents(${pageArguments}, actorId: $actorId, operation: $operation, targetId: $targetId, from: $from, to: $to) {
        items { id actor { kind id roles } operation targetIds changes { field before after } requestId ip occurredAt }
        totalCount pageNumber pageSize
      }
    }`,
    respond: (data) => {
      const { items, totalCount, pageNumber, pageSize } = data.auditEvents as Record<string, unknown>;
      return { body: { data: items, totalCount, pageNumber, pageSize } };
    },
    responseSchema: (data) => {
      const { items, totalCount, pageNumber, pageSize } = propertiesOf(data.auditEvents);
      return objectSchema({ data: items!, totalCount: totalCount!, pageNumber: pageNumber!, pageSize: pageSize! });
    },
  }),
];

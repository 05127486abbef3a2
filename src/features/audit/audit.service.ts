import { and, arrayContains, eq, gte, lt, type SQL } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import { BadInputError } from "../../errors.js";
import { paginate, totalCountColumn, type PageResult } from "../../pagination.js";
import { auditList } from "./audit-list.js";
import { auditEvents, type AuditEventRow } from "./audit.tables.js";
import type { AuditEvent, AuditEventArgs } from "./audit.types.js";

/** The caller's organization's audit events, newest first unless asked otherwise. */
export async function listAuditEvents(ctx: RequestContext, args: AuditEventArgs): Promise<PageResult<AuditEvent>> {
  const organizationId = await ctx.auth.organizationId();
  const conditions: (SQL | undefined)[] = [
    eq(auditEvents.organizationId, organizationId),
    args.actorId ? eq(auditEvents.actorId, args.actorId) : undefined,
    args.operation ? eq(auditEvents.operation, args.operation) : undefined,
    args.targetId ? arrayContains(auditEvents.targetIds, [args.targetId]) : undefined,
    args.from ? gte(auditEvents.createdAt, instant("from", args.from)) : undefined,
    args.to ? lt(auditEvents.createdAt, instant("to", args.to)) : undefined,
  ];
  const page = await paginate({ ...args, sortDirection: args.sortDirection ?? "desc" }, auditList, (window) =>
    ctx.db
      .select({ event: auditEvents, totalCount: totalCountColumn })
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(...window.orderBy)
      .limit(window.limit)
      .offset(window.offset),
  );
  return { ...page, items: page.items.map(({ event }) => toAuditEvent(event)) };
}

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw BadInputError.field(field, "must be an ISO 8601 date-time");
  return date;
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    actor: { kind: row.actorKind, id: row.actorId, roles: row.actorRoles },
    operation: row.operation,
    targetIds: row.targetIds,
    changes: Object.entries(row.changes).map(([field, change]) => ({ field, ...change })),
    requestId: row.requestId,
    ip: row.ip,
    occurredAt: row.createdAt.toISOString(),
  };
}

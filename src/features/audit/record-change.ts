import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { actorOf, type Actor } from "./actor.js";
import { auditEvents } from "./audit.tables.js";
import { changedFields } from "./redaction.js";

export interface Change {
  /** The GraphQL mutation name; REST routes run the same mutation, so they record the same name. */
  operation: string;
  targetIds: string[];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** For changes made before the caller has an organization or a token (sign-up, invitations). */
  organizationId?: string;
  actor?: Actor;
}

/** Writes the audit event of one mutation; call it inside the transaction that makes the change. */
export async function recordChange(tx: Executor, ctx: RequestContext, change: Change): Promise<void> {
  const organizationId = change.organizationId ?? (await ctx.auth.organizationId());
  const actor = change.actor ?? (await actorOf(ctx));
  await tx.insert(auditEvents).values({
    id: newId(),
    organizationId,
    actorKind: actor.kind,
    actorId: actor.id,
    actorRoles: actor.roles,
    operation: change.operation,
    targetIds: change.targetIds,
    changes: changedFields(change.before, change.after),
    requestId: ctx.requestId,
    ip: ctx.ip,
  });
}

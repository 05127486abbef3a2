import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import type { WebhookEvent } from "../webhooks/event-types.js";
import { fanOutWebhook } from "../webhooks/fan-out.js";
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
  /** The webhook event the change raises, queued for the organization's subscribed endpoints. */
  event?: WebhookEvent;
}

/**
 * Writes the audit event of one mutation, and queues its webhook event; call it inside the
 * transaction that makes the change, so both exist exactly when the change does.
 */
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
  if (change.event) await fanOutWebhook(tx, organizationId, change.event);
}

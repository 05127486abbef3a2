import { and, arrayContains, arrayOverlaps, eq } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { wakeWorkers } from "../../db/leased-queue.js";
import type { WebhookEvent } from "./event-types.js";
import { webhookDeliveries, webhookDeliveriesChannel, webhookEndpoints } from "./webhooks.tables.js";

/** Queues the event for each enabled endpoint of the organization subscribed to its type. */
export function fanOutWebhook(tx: Executor, organizationId: string, event: WebhookEvent): Promise<void> {
  return fanOutWebhooks(tx, organizationId, [event]);
}

/**
 * Queues several events of one type (a batch's changes, one event each) in three statements, however
 * many events: the subscribed endpoints, every delivery, and the wake-up of the webhook workers.
 */
export async function fanOutWebhooks(
  tx: Executor,
  organizationId: string,
  events: readonly WebhookEvent[],
): Promise<void> {
  const types = [...new Set(events.map((event) => event.type))];
  if (types.length === 0) return;
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.organizationId, organizationId),
        eq(webhookEndpoints.enabled, true),
        types.length === 1
          ? arrayContains(webhookEndpoints.eventTypes, types)
          : arrayOverlaps(webhookEndpoints.eventTypes, types),
      ),
    );
  if (endpoints.length === 0) return;
  const timestamp = new Date().toISOString();
  const deliveries = events.flatMap((event) =>
    endpoints
      .filter((endpoint) => endpoint.eventTypes.includes(event.type))
      .map((endpoint) => ({
        id: newId(),
        organizationId,
        endpointId: endpoint.id,
        messageId: `msg_${newId()}`,
        eventType: event.type,
        payload: { type: event.type, timestamp, data: { organizationId, ...event.data } },
      })),
  );
  // Bounded rows per statement: PostgreSQL binds at most 65,535 parameters.
  for (let start = 0; start < deliveries.length; start += 5000) {
    await tx.insert(webhookDeliveries).values(deliveries.slice(start, start + 5000));
  }
  if (deliveries.length > 0) await wakeWorkers(tx, webhookDeliveriesChannel);
}

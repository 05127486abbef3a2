import { and, arrayContains, eq } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import type { WebhookEvent } from "./event-types.js";
import { webhookDeliveries, webhookEndpoints } from "./webhooks.tables.js";

/** Queues the event for each enabled endpoint of the organization subscribed to its type. */
export async function fanOutWebhook(tx: Executor, organizationId: string, event: WebhookEvent): Promise<void> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.organizationId, organizationId),
        eq(webhookEndpoints.enabled, true),
        arrayContains(webhookEndpoints.eventTypes, [event.type]),
      ),
    );
  if (endpoints.length === 0) return;
  const timestamp = new Date().toISOString();
  await tx.insert(webhookDeliveries).values(
    endpoints.map((endpoint) => ({
      id: newId(),
      organizationId,
      endpointId: endpoint.id,
      messageId: `msg_${newId()}`,
      eventType: event.type,
      payload: { type: event.type, timestamp, data: { organizationId, ...event.data } },
    })),
  );
}

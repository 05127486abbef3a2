/** Every event a webhook endpoint may subscribe to; docs/webhooks.md shows each payload. */
export const webhookEventTypes = [
  "user.added",
  "user.removed",
  "admin.assigned",
  "admin.removed",
  "salesrep.added",
  "salesrep.activated",
  "salesrep.deactivated",
  "salesrep.removed",
  "salesrep.access_changed",
  "customer.upserted",
  "invitation.accepted",
  "price_tier.created",
  "price_tier.updated",
  "price_tier.deleted",
  "sales_rep_role.created",
  "sales_rep_role.updated",
  "sales_rep_role.deleted",
  "association.created",
  "association.removed",
  "user.roles_changed",
  "role.created",
  "role.updated",
  "role.deleted",
  "customer_user.roles_changed",
  "customer_user.invited",
  "customer_user.removed",
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

export interface WebhookEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

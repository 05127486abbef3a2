import { boolean, foreignKey, index, integer, jsonb, pgTable, text, timestamp, primaryKey } from "drizzle-orm/pg-core";
import { organizations } from "../organizations/organizations.tables.js";

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    eventTypes: text("event_types").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** `whsec_` + base64; shown to the admin once, kept to sign every delivery. */
    secret: text("secret").notNull(),
    /** Deliveries in a row that ran out of attempts; reset by any success. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    disabledReason: text("disabled_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "webhook_endpoints_pkey", columns: [t.organizationId, t.id] })],
);

/** The NOTIFY channel on which queuing a delivery wakes the webhook workers (wakeWorkers, src/db/leased-queue.ts). */
export const webhookDeliveriesChannel = "webhook_deliveries";

/** The webhook outbox: one row per event and endpoint, written in the transaction of the change. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").notNull(),
    /** The Standard Webhooks `webhook-id`: the same on every attempt and replay, for idempotency. */
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending, delivered or failed. */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: "webhook_deliveries_pkey", columns: [t.organizationId, t.id] }),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    foreignKey({
      name: "webhook_deliveries_endpoint_fk",
      columns: [t.organizationId, t.endpointId],
      foreignColumns: [webhookEndpoints.organizationId, webhookEndpoints.id],
    }).onDelete("cascade"),
    index("webhook_deliveries_endpoint_idx").on(t.organizationId, t.endpointId, t.createdAt),
    // The workers claim and settle due rows of every organization by id alone.
    index("webhook_deliveries_id_idx").on(t.id),
  ],
);

export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: text("id").notNull(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    deliveryId: text("delivery_id").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    /** The first 1 KiB of the receiver's answer. */
    responseBody: text("response_body"),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "webhook_attempts_pkey", columns: [t.organizationId, t.id] }),
    foreignKey({
      name: "webhook_attempts_delivery_fk",
      columns: [t.organizationId, t.deliveryId],
      foreignColumns: [webhookDeliveries.organizationId, webhookDeliveries.id],
    }).onDelete("cascade"),
    index("webhook_attempts_delivery_idx").on(t.organizationId, t.deliveryId),
  ],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

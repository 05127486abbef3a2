import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { RequestContext } from "../../context.js";
import type { Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import { wakeWorkers } from "../../db/leased-queue.js";
import { BadInputError, NotFoundError } from "../../errors.js";
import { paginate, totalCountColumn, type PageResult } from "../../pagination.js";
import { deliveryList } from "./delivery-list.js";
import { InputCheck } from "../../validation.js";
import { recordChange } from "../audit/record-change.js";
import { webhookEventTypes } from "./event-types.js";
import { newWebhookSecret } from "./signing.js";
import { webhookUrlProblem } from "./url-guard.js";
import {
  webhookAttempts,
  webhookDeliveries,
  webhookDeliveriesChannel,
  webhookEndpoints,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from "./webhooks.tables.js";
import type {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveriesArgs,
  WebhookDelivery,
} from "./webhooks.types.js";

async function checkUrl(ctx: RequestContext, check: InputCheck, url: string): Promise<string> {
  const value = check.text("url", url, { max: 2000 });
  if (!value) return value;
  const problem = await webhookUrlProblem(value, {
    allowHttp: ctx.config.WEBHOOK_ALLOW_HTTP,
    allowPrivate: ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    resolve: ctx.resolveHost,
  });
  if (problem) check.fail("url", problem);
  return value;
}

function checkEventTypes(check: InputCheck, types: string[]): string[] {
  if (types.length === 0) check.fail("eventTypes", "must name at least one event type");
  types.forEach((type, index) => {
    if (!(webhookEventTypes as readonly string[]).includes(type)) {
      check.fail(`eventTypes[${index}]`, `must be one of ${webhookEventTypes.join(", ")}`);
    }
  });
  return [...new Set(types)];
}

export async function createWebhookEndpoint(ctx: RequestContext, input: CreateWebhookEndpointInput) {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const url = await checkUrl(ctx, check, input.url);
  const eventTypes = checkEventTypes(check, input.eventTypes);
  check.done();
  const secret = newWebhookSecret();
  return ctx.db.transaction(async (tx) => {
    const [endpoint] = await tx
      .insert(webhookEndpoints)
      .values({ id: newId(), organizationId, url, eventTypes, enabled: input.enabled ?? true, secret })
      .returning();
    await recordChange(tx, ctx, { operation: "createWebhookEndpoint", targetIds: [endpoint!.id], after: endpoint });
    return { endpoint: endpoint!, secret };
  });
}

export async function listWebhookEndpoints(ctx: RequestContext): Promise<WebhookEndpointRow[]> {
  const organizationId = await ctx.auth.organizationId();
  return ctx.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, organizationId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

const unknownEndpoint = () => new NotFoundError("No webhook endpoint with that id exists in your organization");

export async function updateWebhookEndpoint(ctx: RequestContext, id: string, input: UpdateWebhookEndpointInput) {
  const organizationId = await ctx.auth.organizationId();
  const check = new InputCheck();
  const url = input.url == null ? undefined : await checkUrl(ctx, check, input.url);
  const eventTypes = input.eventTypes == null ? undefined : checkEventTypes(check, input.eventTypes);
  check.done();
  const enabled = input.enabled ?? undefined;
  return ctx.db.transaction(async (tx) => {
    const scoped = and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.organizationId, organizationId));
    const [before] = await tx.select().from(webhookEndpoints).where(scoped).for("update");
    if (!before) throw unknownEndpoint();
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({
        url,
        eventTypes,
        enabled,
        // Turning an endpoint back on gives it a fresh start.
        ...(enabled ? { consecutiveFailures: 0, disabledReason: null } : {}),
        updatedAt: sql`now()`,
      })
      .where(scoped)
      .returning();
    await recordChange(tx, ctx, { operation: "updateWebhookEndpoint", targetIds: [id], before, after: updated });
    return updated!;
  });
}

/** Deletes an endpoint with its deliveries; answers the endpoint as it was. */
export async function deleteWebhookEndpoint(
  ctx: RequestContext,
  id: string,
): Promise<{ deletedWebhookEndpointId: string; endpoint: WebhookEndpointRow }> {
  const organizationId = await ctx.auth.organizationId();
  return ctx.db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.organizationId, organizationId)))
      .returning();
    if (!deleted) throw unknownEndpoint();
    await recordChange(tx, ctx, { operation: "deleteWebhookEndpoint", targetIds: [id], before: deleted });
    return { deletedWebhookEndpointId: deleted.id, endpoint: deleted };
  });
}

/** An endpoint's deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveries(
  ctx: RequestContext,
  args: WebhookDeliveriesArgs,
): Promise<PageResult<WebhookDelivery>> {
  const organizationId = await ctx.auth.organizationId();
  const page = await paginate({ ...args, sortDirection: args.sortDirection ?? "desc" }, deliveryList, (window) =>
    ctx.db
      .select({ delivery: webhookDeliveries, totalCount: totalCountColumn })
      .from(webhookDeliveries)
      .where(
        and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.endpointId, args.endpointId)),
      )
      .orderBy(...window.orderBy)
      .limit(window.limit)
      .offset(window.offset),
  );
  return {
    ...page,
    items: await withAttemptLogs(
      ctx.db,
      page.items.map(({ delivery }) => delivery),
    ),
  };
}

/** Deliveries as GraphQL shows them, each with its attempts, read in one statement. */
async function withAttemptLogs(db: Executor, deliveries: WebhookDeliveryRow[]): Promise<WebhookDelivery[]> {
  const ids = deliveries.map((delivery) => delivery.id);
  const attempts = ids.length
    ? await db
        .select()
        .from(webhookAttempts)
        .where(
          and(
            inArray(webhookAttempts.organizationId, [
              ...new Set(deliveries.map((delivery) => delivery.organizationId)),
            ]),
            inArray(webhookAttempts.deliveryId, ids),
          ),
        )
        .orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id))
    : [];
  return deliveries.map((delivery) => ({
    id: delivery.id,
    messageId: delivery.messageId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt.toISOString(),
    attemptLog: attempts
      .filter((attempt) => attempt.deliveryId === delivery.id)
      .map((attempt) => ({ ...attempt, attemptedAt: attempt.attemptedAt.toISOString() })),
  }));
}

/** Queues a delivery again, now, with fresh attempts; the webhook-id stays so receivers can de-duplicate. */
export async function replayWebhookDelivery(ctx: RequestContext, id: string): Promise<WebhookDelivery> {
  const organizationId = await ctx.auth.organizationId();
  return ctx.db.transaction(async (tx) => {
    const [replayed] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, deliveredAt: null })
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.organizationId, organizationId)))
      .returning();
    if (!replayed) throw BadInputError.field("id", "does not match a webhook delivery of your organization");
    await wakeWorkers(tx, webhookDeliveriesChannel);
    await recordChange(tx, ctx, { operation: "replayWebhookDelivery", targetIds: [id, replayed.endpointId] });
    const [delivery] = await withAttemptLogs(tx, [replayed]);
    return delivery!;
  });
}

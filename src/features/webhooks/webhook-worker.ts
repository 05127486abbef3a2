import { and, eq, or, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database, DatabaseHandle, Executor } from "../../db/client.js";
import { newId } from "../../db/ids.js";
import {
  nextDueInMs,
  PollLoop,
  recordOutcome,
  workLeased,
  type Lease,
  type LeasedQueue,
} from "../../db/leased-queue.js";
import { enqueueMail, type RecipientCaps } from "../../mail/outbox.js";
import { webhookEndpointDisabled } from "../../mail/templates.js";
import { organizations, organizationUsers } from "../organizations/organizations.tables.js";
import { users } from "../users/users.tables.js";
import type { Agent, fetch as undiciFetch } from "undici";
import { signedHeaders } from "./signing.js";
import { guardedLookup, RefusedAddressError, webhookUrlProblem, type UrlPolicy } from "./url-guard.js";
import {
  webhookAttempts,
  webhookDeliveries,
  webhookDeliveriesChannel,
  webhookEndpoints,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from "./webhooks.tables.js";
import { byKey } from "../../db/tenant-key.js";

export interface WebhookWorkerOptions {
  /** The safety poll (WEBHOOK_POLL_INTERVAL_MS): a queued delivery wakes the worker through `listen` at once. */
  pollIntervalMs: number;
  /** The database's NOTIFY listener; without it the worker finds new deliveries at the next poll. */
  listen?: DatabaseHandle["listen"];
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Deliveries in a row that exhaust their attempts before the endpoint is disabled. */
  disableAfterFailures: number;
  urlPolicy: UrlPolicy;
  mailCaps: RecipientCaps;
  batchSize?: number;
  /** How long a claimed delivery stays the worker's without a heartbeat (OUTBOX_LEASE_SECONDS). */
  leaseSeconds: number;
  log: FastifyBaseLogger;
}

const maxBackoffMs = 6 * 60 * 60 * 1000;
const responseBodyLimit = 1024;

interface Http {
  agent: Agent;
  fetch: typeof undiciFetch;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

const outbox: LeasedQueue<typeof webhookDeliveries> = {
  table: webhookDeliveries,
  channel: webhookDeliveriesChannel,
  id: webhookDeliveries.id,
  status: webhookDeliveries.status,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  attempts: webhookDeliveries.attempts,
  order: webhookDeliveries.nextAttemptAt,
};

/**
 * Posts the webhook outbox. Claims its batch (see claimDue) and holds it with a heartbeat while
 * posting, so several instances never send a delivery at once; retries with exponential back-off
 * and full jitter. Delivery is at least once: a post whose outcome could not be recorded (the
 * worker died, the database dropped) is posted again once its lease runs out, with the same
 * `webhook-id`, by which receivers drop the repeat.
 */
export class WebhookWorker {
  private readonly loop: PollLoop;
  /**
   * Every delivery and retry connects through it, so only checked addresses are ever dialled.
   * undici is loaded at the first post, not at start-up: requiring it costs some 80 ms of CPU on the
   * ready path of a server that may never send a webhook.
   */
  private http?: Promise<Http>;

  constructor(
    private readonly db: Database,
    private readonly options: WebhookWorkerOptions,
  ) {
    const { listen } = options;
    this.loop = new PollLoop({
      intervalMs: options.pollIntervalMs,
      runOnce: () => this.runOnce(),
      nextDueInMs: () => nextDueInMs(db, outbox),
      subscribe: listen && ((wake) => listen(outbox.channel, wake, wake)),
      onError: (error) => options.log.error({ err: error }, "webhook worker run failed"),
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await (await this.http)?.agent.close();
  }

  /** Posts every delivery due now; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const { leaseSeconds, log } = this.options;
    return workLeased(
      this.db,
      outbox,
      {
        batchSize: this.options.batchSize ?? 20,
        leaseSeconds,
        onRenewError: (error) => log.warn({ err: error }, "webhook lease could not be renewed"),
      },
      (batch, lease) => this.deliverBatch(batch, lease),
    );
  }

  private async deliverBatch(batch: WebhookDeliveryRow[], lease: Lease<typeof webhookDeliveries>): Promise<void> {
    // The batch's endpoints in one statement, not one per delivery.
    const endpointKeys = new Map(
      batch.map((delivery) => [
        `${delivery.organizationId}\u0000${delivery.endpointId}`,
        { organizationId: delivery.organizationId, id: delivery.endpointId },
      ]),
    );
    const endpoints = await this.db
      .select()
      .from(webhookEndpoints)
      .where(or(...[...endpointKeys.values()].map((key) => byKey(webhookEndpoints, key))));
    const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
    await Promise.all(
      batch.map((delivery) => {
        const endpoint = byId.get(delivery.endpointId);
        // Deleted since the delivery was queued (its cascade takes the delivery too).
        return endpoint ? this.deliver(delivery, endpoint, lease) : undefined;
      }),
    );
  }

  private async deliver(
    delivery: WebhookDeliveryRow,
    endpoint: WebhookEndpointRow,
    lease: Lease<typeof webhookDeliveries>,
  ): Promise<void> {
    const started = Date.now();
    const outcome = endpoint.enabled
      ? await this.post(endpoint.url, endpoint.secret, delivery)
      : { statusCode: null, error: "endpoint disabled", responseBody: null };
    const durationMs = Date.now() - started;
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const giveUp = !ok && (delivery.attempts >= this.options.maxAttempts || !endpoint.enabled);
    await lease.release(delivery.id);
    // Tried again on its own: a lost outcome would cost the receiver a repeat of the post.
    await recordOutcome(
      () => this.recordAttempt(delivery, endpoint, { ok, giveUp, durationMs, outcome }),
      (error, attempt) =>
        this.options.log.warn(
          { deliveryId: delivery.id, attempt, err: error },
          "webhook outcome not recorded; trying again",
        ),
    );
    if (!ok) {
      this.options.log.warn(
        {
          deliveryId: delivery.id,
          attempts: delivery.attempts,
          giveUp,
          status: outcome.statusCode,
          err: outcome.error,
        },
        "webhook delivery failed",
      );
    }
  }

  private recordAttempt(
    delivery: WebhookDeliveryRow,
    endpoint: WebhookEndpointRow,
    { ok, giveUp, durationMs, outcome }: { ok: boolean; giveUp: boolean; durationMs: number; outcome: Outcome },
  ): Promise<void> {
    return this.db.transaction(async (tx) => {
      const { organizationId } = delivery;
      await tx
        .insert(webhookAttempts)
        .values({ id: newId(), organizationId, deliveryId: delivery.id, durationMs, ...outcome });
      const thisDelivery = byKey(webhookDeliveries, delivery);
      if (ok) {
        await tx
          .update(webhookDeliveries)
          .set({ status: "delivered", deliveredAt: sql`now()` })
          .where(thisDelivery);
        await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(byKey(webhookEndpoints, endpoint));
      } else if (giveUp) {
        await tx.update(webhookDeliveries).set({ status: "failed" }).where(thisDelivery);
        if (endpoint.enabled) await this.countFailure(tx, endpoint);
      } else {
        await tx
          .update(webhookDeliveries)
          .set({ nextAttemptAt: sql`now() + make_interval(secs => ${this.backoffMs(delivery.attempts) / 1000})` })
          .where(thisDelivery);
      }
    });
  }

  /** Exponential from retryBaseMs, capped, with full jitter so failing receivers are not hit in step. */
  private backoffMs(attempts: number): number {
    const ceiling = Math.min(this.options.retryBaseMs * 2 ** (attempts - 1), maxBackoffMs);
    return Math.max(1, Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
  }

  private async post(url: string, secret: string, delivery: WebhookDeliveryRow): Promise<Outcome> {
    // Resolved again at every delivery: a host re-pointed at an internal address is refused.
    const problem = await webhookUrlProblem(url, this.options.urlPolicy);
    if (problem) return { statusCode: null, error: `url ${problem}`, responseBody: null };
    const body = JSON.stringify(delivery.payload);
    try {
      const { agent, fetch } = await this.undici();
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signedHeaders(secret, delivery.messageId, body) },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs),
        dispatcher: agent,
      });
      const text = await response.text().catch(() => "");
      return {
        statusCode: response.status,
        error: response.status >= 300 && response.status < 400 ? "redirects are not followed" : null,
        responseBody: text.slice(0, responseBodyLimit) || null,
      };
    } catch (error) {
      const cause = error instanceof Error ? error.cause : undefined;
      if (cause instanceof RefusedAddressError) return { statusCode: null, error: cause.message, responseBody: null };
      return { statusCode: null, error: error instanceof Error ? error.message : String(error), responseBody: null };
    }
  }

  private undici(): Promise<Http> {
    const { urlPolicy } = this.options;
    this.http ??= import("undici").then(({ Agent, fetch }) => ({
      agent: new Agent(urlPolicy.allowPrivate ? {} : { connect: { lookup: guardedLookup(urlPolicy.resolve) } }),
      fetch,
    }));
    return this.http;
  }

  /** One more delivery given up on; at the threshold the endpoint is disabled and the admins told. */
  private async countFailure(tx: Executor, failing: WebhookEndpointRow): Promise<void> {
    const thisEndpoint = byKey(webhookEndpoints, failing);
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
      .where(thisEndpoint)
      .returning();
    if (!endpoint || endpoint.consecutiveFailures < this.options.disableAfterFailures) return;
    const reason = `${endpoint.consecutiveFailures} deliveries in a row failed after every attempt`;
    await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: reason, updatedAt: sql`now()` })
      .where(thisEndpoint);
    const [organization] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, endpoint.organizationId));
    const admins = await tx
      .select({ email: users.email })
      .from(organizationUsers)
      .innerJoin(users, eq(users.id, organizationUsers.userId))
      .where(and(eq(organizationUsers.organizationId, endpoint.organizationId), eq(organizationUsers.isAdmin, true)));
    const mail = webhookEndpointDisabled({ organizationName: organization?.name ?? "", url: endpoint.url, reason });
    for (const admin of admins) {
      await enqueueMail(
        tx,
        { ...mail, to: admin.email, organizationId: endpoint.organizationId },
        this.options.mailCaps,
      );
    }
  }
}

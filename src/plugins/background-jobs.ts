import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import type { HostResolver } from "../context.js";
import type { DatabaseHandle } from "../db/client.js";
import type { RetentionPruner } from "../db/retention-pruner.js";
import { AuditPruner } from "../features/audit/audit-pruner.js";
import { idempotencyKeyPruner } from "../features/idempotency/idempotency.service.js";
import { leaveLinkPruner } from "../features/memberships/leave-link-pruner.js";
import { expiredCredentialPruners } from "../features/sessions/credential-pruners.js";
import { WebhookWorker } from "../features/webhooks/webhook-worker.js";
import { recipientCaps } from "../mail/outbox.js";
import { MailWorker } from "../mail/worker.js";

export interface BackgroundJobs {
  mailWorker: MailWorker;
  auditPruner: AuditPruner;
  idempotencyPruner: RetentionPruner;
  /** Revoked sessions, password-reset links, device tokens and leave links past their lifetime. */
  credentialPruners: RetentionPruner[];
  webhookWorker: WebhookWorker;
}

/** The outbox workers and retention pruners, built but not started (tests drive them by hand). */
export async function createBackgroundJobs(
  config: Config,
  database: DatabaseHandle,
  resolveHost: HostResolver,
  log: FastifyBaseLogger,
): Promise<BackgroundJobs> {
  // Imported only with a token: a server that logs its mail instead has no use for the Postmark client.
  const transport = config.POSTMARK_SERVER_TOKEN
    ? (await import("../mail/postmark-transport.js")).postmarkTransport({
        serverToken: config.POSTMARK_SERVER_TOKEN,
        apiUrl: config.POSTMARK_API_URL,
        from: config.MAIL_FROM,
      })
    : undefined;
  const mailWorker = new MailWorker(database.db, {
    transport,
    pollIntervalMs: config.MAIL_POLL_INTERVAL_MS,
    listen: database.listen,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    retryBaseMs: config.MAIL_RETRY_BASE_MS,
    requeueLoggedHours: config.MAIL_REQUEUE_LOGGED_HOURS,
    retentionDays: config.MAIL_RETENTION_DAYS,
    logBodies: config.MAIL_LOG_BODIES,
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    logLinks: config.DEV_MAIL,
    log: log.child({ component: "mail" }),
  });
  const auditPruner = new AuditPruner(database.db, {
    retentionDays: config.AUDIT_RETENTION_DAYS,
    log: log.child({ component: "audit" }),
  });
  const idempotencyPruner = idempotencyKeyPruner(database.db, log.child({ component: "idempotency" }));
  const credentialLog = log.child({ component: "credentials" });
  const credentialPruners = [
    ...expiredCredentialPruners(database.db, credentialLog),
    leaveLinkPruner(database.db, credentialLog),
  ];
  const webhookWorker = new WebhookWorker(database.db, {
    pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    listen: database.listen,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
    urlPolicy: {
      allowHttp: config.WEBHOOK_ALLOW_HTTP,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS,
      resolve: resolveHost,
    },
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    mailCaps: recipientCaps(config),
    log: log.child({ component: "webhooks" }),
  });
  return { mailWorker, auditPruner, idempotencyPruner, credentialPruners, webhookWorker };
}

export interface BackgroundJobsOptions {
  jobs: BackgroundJobs;
  /** Start them once the server is ready; off for tests that run a worker by hand. */
  start: boolean;
}

/** Starts the jobs on onReady and stops them on onClose, mail first and webhooks last. */
export async function backgroundJobsPlugin(
  app: FastifyInstance,
  { jobs, start }: BackgroundJobsOptions,
): Promise<void> {
  const { mailWorker, auditPruner, idempotencyPruner, credentialPruners, webhookWorker } = jobs;
  if (start) {
    app.addHook("onReady", async () => {
      mailWorker.start();
      auditPruner.start();
      idempotencyPruner.start();
      for (const pruner of credentialPruners) pruner.start();
      webhookWorker.start();
    });
  }
  app.addHook("onClose", async () => {
    await mailWorker.stop();
    await auditPruner.stop();
    await idempotencyPruner.stop();
    await Promise.all(credentialPruners.map((pruner) => pruner.stop()));
    await webhookWorker.stop();
  });
}

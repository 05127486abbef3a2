import { z } from "zod";

const optionalUrl = z.url().optional();
const optionalText = z.string().min(1).optional();

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    PUBLIC_URL: optionalUrl,
    INVITATION_URL: optionalUrl,
    SIGN_IN_URL: optionalUrl,
    PASSWORD_RESET_URL: optionalUrl,
    PASSWORD_RESET_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60),
    INVITATION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    JWT_ISSUER: z.string().min(1).default("urn:b2b-account-gateway"),
    JWT_AUDIENCE: z.string().min(1).default("urn:b2b-account-gateway:api"),
    JWT_PRIVATE_KEY: optionalText,
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    JWT_KEY_GRACE_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional(),
    JWT_KEY_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
    JWT_MAX_LIFETIME_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    IDP_JWKS_URL: optionalUrl,
    IDP_ISSUER: optionalText,
    IDP_AUDIENCE: optionalText,
    POSTMARK_SERVER_TOKEN: optionalText,
    POSTMARK_API_URL: z.url().default("https://api.postmarkapp.com"),
    MAIL_FROM: z.email().default("no-reply@b2b-account-gateway.local"),
    MAIL_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
    MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    MAIL_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
    MAIL_REQUEUE_LOGGED_HOURS: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 90)
      .default(24),
    MAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    IDEMPOTENCY_KEY_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
    OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(10),
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
    WEBHOOK_ALLOW_HTTP: z.stringbool().default(false),
    WEBHOOK_ALLOW_PRIVATE_URLS: z.stringbool().default(false),
    WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    FEDERATION: z.stringbool().default(false),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
    REDIS_KEY_PREFIX: z.string().min(1).max(100).default("rl:"),
    SIGN_UP_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(10),
    EMAIL_LOOKUP_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(20),
    MAIL_RECIPIENT_HOURLY_LIMIT: z.coerce.number().int().min(1).max(10_000).default(5),
    MAIL_RECIPIENT_DAILY_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
    MEMBERSHIP_CONSENT: z.enum(["notify", "required"]).default("notify"),
    OAUTH_FAILURE_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).default(10),
    OAUTH_FAILURE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(30),
    TRUST_PROXY: z.string().min(1).optional(),
    CORS_ORIGINS: z
      .string()
      .transform((value) => value.split(",").map((origin) => origin.trim().replace(/\/$/, "")))
      .pipe(z.array(z.url({ protocol: /^https?$/ })))
      .default([]),
    METRICS_TOKEN: z.string().min(16).optional(),
    MAIL_LOG_BODIES: z.stringbool().default(false),
    DEV_MAIL: z.stringbool().optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.MAIL_LOG_BODIES && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["MAIL_LOG_BODIES"],
        message: "must not be set in production: e-mail bodies carry invitation tokens",
      });
    }
    if (env.MAIL_RECIPIENT_DAILY_LIMIT < env.MAIL_RECIPIENT_HOURLY_LIMIT) {
      ctx.addIssue({
        code: "custom",
        path: ["MAIL_RECIPIENT_DAILY_LIMIT"],
        message: "must be at least MAIL_RECIPIENT_HOURLY_LIMIT",
      });
    }
    if (env.DEV_MAIL && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["DEV_MAIL"],
        message: "must not be set in production: /dev/mail and the log would show invitation links",
      });
    }
    if (env.LOG_FORMAT === "pretty" && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["LOG_FORMAT"],
        message: "must be json in production: log collectors read JSON lines, and pino-pretty is a development tool",
      });
    }
    const idp = [env.IDP_JWKS_URL, env.IDP_ISSUER, env.IDP_AUDIENCE];
    if (env.JWT_MAX_LIFETIME_SECONDS < env.JWT_TTL_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["JWT_MAX_LIFETIME_SECONDS"],
        message: "must be at least JWT_TTL_SECONDS, or the gateway would refuse its own tokens",
      });
    }
    if (idp.some(Boolean) && !idp.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["IDP_JWKS_URL"],
        message: "IDP_JWKS_URL, IDP_ISSUER and IDP_AUDIENCE must be set together",
      });
    }
  });

/** Every variable the gateway reads; the deployment test holds .env.example to this list. */
export const configVariables: readonly string[] = Object.keys(schema.shape);

type Env = z.infer<typeof schema>;

/** A retired signing key outlives the last token it signed by this much by default. */
const keyGraceMarginSeconds = 300;

export interface Config extends Omit<
  Env,
  "PUBLIC_URL" | "INVITATION_URL" | "SIGN_IN_URL" | "PASSWORD_RESET_URL" | "JWT_KEY_GRACE_SECONDS" | "DEV_MAIL"
> {
  /** The links of unsent e-mail in the log and the outbox at GET /dev/mail; default: in development. */
  DEV_MAIL: boolean;
  /** How long a retired signing key still verifies and stays in the JWKS. */
  JWT_KEY_GRACE_SECONDS: number;
  PUBLIC_URL: string;
  /** The page that receives `?token=` and posts it to /api/auth/invitations/accept. */
  INVITATION_URL: string;
  /** Where every e-mail's sign-in link points. */
  SIGN_IN_URL: string;
  /** The page that receives a password reset's `?token=` and posts it to /api/auth/password-reset/confirm. */
  PASSWORD_RESET_URL: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates the environment once; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "unset", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const config = parsed.data;
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, "");
  return {
    ...config,
    PUBLIC_URL: publicUrl,
    INVITATION_URL: config.INVITATION_URL ?? `${publicUrl}/accept-invitation`,
    JWT_KEY_GRACE_SECONDS: config.JWT_KEY_GRACE_SECONDS ?? config.JWT_TTL_SECONDS + keyGraceMarginSeconds,
    SIGN_IN_URL: config.SIGN_IN_URL ?? `${publicUrl}/sign-in`,
    PASSWORD_RESET_URL: config.PASSWORD_RESET_URL ?? `${publicUrl}/reset-password`,
    DEV_MAIL: config.DEV_MAIL ?? config.NODE_ENV === "development",
  };
}

import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { prettyLogs } from "../../src/logging.js";

/** The message of the ConfigError `env` raises. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

const idp = {
  IDP_JWKS_URL: "https://idp.example.com/.well-known/jwks.json",
  IDP_ISSUER: "https://idp.example.com/",
  IDP_AUDIENCE: "gateway",
};

describe("loadConfig", () => {
  it("defaults every setting for an empty environment", () => {
    expect(loadConfig({})).toEqual({
      NODE_ENV: "development",
      PORT: 4000,
      HOST: "0.0.0.0",
      DATA_DIR: "./data",
      PUBLIC_URL: "http://localhost:4000",
      INVITATION_URL: "http://localhost:4000/accept-invitation",
      INVITATION_TTL_HOURS: 72,
      JWT_ISSUER: "urn:b2b-account-gateway",
      JWT_AUDIENCE: "urn:b2b-account-gateway:api",
      JWT_TTL_SECONDS: 3600,
      POSTMARK_API_URL: "https://api.postmarkapp.com",
      MAIL_FROM: "no-reply@b2b-account-gateway.local",
      MAIL_POLL_INTERVAL_MS: 30000,
      MAIL_MAX_ATTEMPTS: 8,
      MAIL_RETRY_BASE_MS: 5000,
      MAIL_REQUEUE_LOGGED_HOURS: 24,
      MAIL_RETENTION_DAYS: 30,
      IDEMPOTENCY_KEY_TTL_HOURS: 24,
      OUTBOX_LEASE_SECONDS: 10,
      AUDIT_RETENTION_DAYS: 365,
      WEBHOOK_ALLOW_HTTP: false,
      WEBHOOK_ALLOW_PRIVATE_URLS: false,
      WEBHOOK_POLL_INTERVAL_MS: 30000,
      WEBHOOK_RETRY_BASE_MS: 30000,
      WEBHOOK_MAX_ATTEMPTS: 8,
      WEBHOOK_TIMEOUT_MS: 10000,
      WEBHOOK_DISABLE_AFTER_FAILURES: 5,
      LOG_LEVEL: "info",
      SIGN_IN_URL: "http://localhost:4000/sign-in",
      JWT_KEY_GRACE_SECONDS: 3900,
      JWT_KEY_REFRESH_SECONDS: 30,
      FEDERATION: false,
      REDIS_KEY_PREFIX: "rl:",
      SIGN_UP_RATE_LIMIT: 10,
      EMAIL_LOOKUP_RATE_LIMIT: 20,
      MAIL_RECIPIENT_HOURLY_LIMIT: 5,
      MAIL_RECIPIENT_DAILY_LIMIT: 20,
      MEMBERSHIP_CONSENT: "notify",
      CORS_ORIGINS: [],
      MAIL_LOG_BODIES: false,
      DEV_MAIL: true,
      SHUTDOWN_DELAY_MS: 0,
      DATABASE_CONNECT_TIMEOUT_MS: 5000,
      DATABASE_ACQUIRE_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 10000,
      PASSWORD_RESET_URL: "http://localhost:4000/reset-password",
      PASSWORD_RESET_TTL_MINUTES: 60,
      JWT_CLOCK_SKEW_SECONDS: 60,
      JWT_MAX_LIFETIME_SECONDS: 86400,
      OAUTH_FAILURE_LIMIT_PER_CLIENT: 10,
      OAUTH_FAILURE_LIMIT_PER_IP: 30,
    });
  });

  it("bounds the database waits between 100 ms and their maxima", () => {
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "30000" }).DATABASE_STATEMENT_TIMEOUT_MS).toBe(30000);
    expect(() => loadConfig({ DATABASE_ACQUIRE_TIMEOUT_MS: "0" })).toThrow(/DATABASE_ACQUIRE_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: "soon" })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS/);
  });

  it("refuses a maximum token lifetime below the lifetime the gateway issues", () => {
    expect(refusal({ JWT_TTL_SECONDS: "7200", JWT_MAX_LIFETIME_SECONDS: "3600" })).toMatch(
      /JWT_MAX_LIFETIME_SECONDS: must be at least JWT_TTL_SECONDS/,
    );
    expect(loadConfig({ JWT_TTL_SECONDS: "7200", JWT_MAX_LIFETIME_SECONDS: "7200" }).JWT_MAX_LIFETIME_SECONDS).toBe(
      7200,
    );
  });

  it("bounds the failed client authentications, the clock skew and the reset link's lifetime", () => {
    expect(
      refusal({
        OAUTH_FAILURE_LIMIT_PER_CLIENT: "0",
        JWT_CLOCK_SKEW_SECONDS: "601",
        PASSWORD_RESET_TTL_MINUTES: "1",
      }).split("\n"),
    ).toHaveLength(4);
    expect(loadConfig({ PASSWORD_RESET_URL: "https://shop.example.com/reset" }).PASSWORD_RESET_URL).toBe(
      "https://shop.example.com/reset",
    );
  });

  it("reads numbers from text and derives the public and invitation URLs from the port", () => {
    const config = loadConfig({ PORT: "8080", JWT_TTL_SECONDS: "600", NODE_ENV: "production" });
    expect(config).toMatchObject({ PORT: 8080, JWT_TTL_SECONDS: 600, NODE_ENV: "production" });
    expect(config.INVITATION_URL).toBe("http://localhost:8080/accept-invitation");
  });

  it("drops a trailing slash of PUBLIC_URL and keeps an INVITATION_URL that is set", () => {
    expect(loadConfig({ PUBLIC_URL: "https://api.example.com/" })).toMatchObject({
      PUBLIC_URL: "https://api.example.com",
      INVITATION_URL: "https://api.example.com/accept-invitation",
    });
    expect(loadConfig({ INVITATION_URL: "https://app.example.com/join" }).INVITATION_URL).toBe(
      "https://app.example.com/join",
    );
  });

  it("treats an empty variable as unset", () => {
    const config = loadConfig({ PORT: "", DATABASE_URL: "", JWT_PRIVATE_KEY: "", IDP_JWKS_URL: "", LOG_LEVEL: "" });
    expect(config).toMatchObject({ PORT: 4000, LOG_LEVEL: "info" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.JWT_PRIVATE_KEY).toBeUndefined();
  });

  it("accepts PostgreSQL and Redis URLs of either scheme", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://db/app", REDIS_URL: "rediss://cache:6380" })).toMatchObject({
      DATABASE_URL: "postgresql://db/app",
      REDIS_URL: "rediss://cache:6380",
    });
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ DATABASE_URL: "mysql://db/app" }, "DATABASE_URL: must be a postgres:// or postgresql:// URL"],
    [{ REDIS_URL: "127.0.0.1:6379" }, "REDIS_URL: must be a redis:// or rediss:// URL"],
    [{ PUBLIC_URL: "not a url" }, "PUBLIC_URL"],
    [{ JWT_TTL_SECONDS: "10" }, "JWT_TTL_SECONDS"],
    [{ MAIL_FROM: "nobody" }, "MAIL_FROM"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ OUTBOX_LEASE_SECONDS: "1" }, "OUTBOX_LEASE_SECONDS"],
    [{ IDEMPOTENCY_KEY_TTL_HOURS: "0" }, "IDEMPOTENCY_KEY_TTL_HOURS"],
    [{ MEMBERSHIP_CONSENT: "ask" }, "MEMBERSHIP_CONSENT"],
    [{ EMAIL_LOOKUP_RATE_LIMIT: "0" }, "EMAIL_LOOKUP_RATE_LIMIT"],
    [{ MAIL_RECIPIENT_HOURLY_LIMIT: "0" }, "MAIL_RECIPIENT_HOURLY_LIMIT"],
    [
      { MAIL_RECIPIENT_HOURLY_LIMIT: "10", MAIL_RECIPIENT_DAILY_LIMIT: "5" },
      "MAIL_RECIPIENT_DAILY_LIMIT: must be at least MAIL_RECIPIENT_HOURLY_LIMIT",
    ],
  ])("refuses %o naming the variable", (env, named) => {
    const message = refusal(env);
    expect(message).toMatch(/^Invalid configuration:\n {2}/);
    expect(message).toContain(named);
  });

  it("names every bad variable at once", () => {
    const message = refusal({ PORT: "-1", MAIL_MAX_ATTEMPTS: "0" });
    expect(message.split("\n")).toHaveLength(3);
    expect(message).toMatch(/^ {2}PORT: /m);
    expect(message).toMatch(/^ {2}MAIL_MAX_ATTEMPTS: /m);
  });

  it("shows development mail (DEV_MAIL) by default in development only, and never in production", () => {
    expect(loadConfig({}).DEV_MAIL).toBe(true);
    expect(loadConfig({ NODE_ENV: "test" }).DEV_MAIL).toBe(false);
    expect(loadConfig({ NODE_ENV: "production" }).DEV_MAIL).toBe(false);
    expect(loadConfig({ NODE_ENV: "test", DEV_MAIL: "true" }).DEV_MAIL).toBe(true);
    expect(loadConfig({ DEV_MAIL: "false" }).DEV_MAIL).toBe(false);
    expect(refusal({ NODE_ENV: "production", DEV_MAIL: "true" })).toContain("DEV_MAIL: must not be set in production");
  });

  it("prints logs for a person in development on a terminal, JSON elsewhere, as LOG_FORMAT says when set", () => {
    expect(prettyLogs(loadConfig({}), true)).toBe(true);
    expect(prettyLogs(loadConfig({}), false)).toBe(false);
    expect(prettyLogs(loadConfig({ NODE_ENV: "production" }), true)).toBe(false);
    expect(prettyLogs(loadConfig({ LOG_FORMAT: "pretty", NODE_ENV: "test" }), false)).toBe(true);
    expect(prettyLogs(loadConfig({ LOG_FORMAT: "json" }), true)).toBe(false);
    expect(refusal({ NODE_ENV: "production", LOG_FORMAT: "pretty" })).toContain(
      "LOG_FORMAT: must be json in production",
    );
    expect(refusal({ LOG_FORMAT: "yaml" })).toContain("LOG_FORMAT");
  });

  it("takes the external identity provider's three settings together", () => {
    expect(loadConfig(idp)).toMatchObject(idp);
  });

  it.each(Object.keys(idp))("refuses the identity provider's settings without %s", (missing) => {
    const env: Record<string, string> = { ...idp };
    delete env[missing];
    expect(refusal(env)).toContain("IDP_JWKS_URL: IDP_JWKS_URL, IDP_ISSUER and IDP_AUDIENCE must be set together");
  });

  it("counts an empty identity provider setting as missing", () => {
    expect(refusal({ ...idp, IDP_AUDIENCE: "" })).toContain("must be set together");
  });
});

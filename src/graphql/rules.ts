import { allow, chain, rule } from "graphql-shield";
import type { Role } from "../auth/roles.js";
import { TooManyRequestsError } from "../errors.js";
import type { RequestContext } from "../context.js";

/** An access check that throws AppError on refusal. */
export type Check = (ctx: RequestContext, args: Record<string, unknown>) => Promise<unknown>;

/**
 * A shield rule from a check that throws AppError on refusal. Shield wants the error returned,
 * and turns anything thrown into a denial: a failing database or rate-limit store would then read
 * as 403. Returned, an unexpected error reaches the one classifier, which logs it as internal.
 */
export function ruleFrom(name: string, check: Check) {
  return rule(name, { cache: "no_cache" })(async (_parent, args, ctx: RequestContext) => {
    try {
      await check(ctx, args as Record<string, unknown>);
      return true;
    } catch (error) {
      return error instanceof Error ? error : new Error(`access rule ${name} failed: ${String(error)}`);
    }
  });
}

const anonymousRules = new WeakSet<object>();

/** Marks a rule as open to callers without a token; the REST layer asks before binding input. */
function openToAnonymous<T extends object>(rule: T): T {
  anonymousRules.add(rule);
  return rule;
}

export function allowsAnonymous(rule: unknown): boolean {
  return typeof rule === "object" && rule !== null && anonymousRules.has(rule);
}

/** Anyone, without a token. Named so that "public" is a decision visible in the rule table. */
export const isPublic = openToAnonymous(allow);

export const requireRole =
  (role: Role): Check =>
  (ctx) =>
    ctx.auth.requireRole(role);

export const hasRole = (role: Role) => ruleFrom(`has${role}`, requireRole(role));

export const isAdmin = hasRole("Admin");
export const isCustomer = hasRole("Customer");
export const isSalesRep = hasRole("SalesRep");

/** Own-data reads: an identity token (built-in or external), or an access token with `role`. */
export const hasIdentityOr = (role: Role) =>
  ruleFrom(`identityOr${role}`, async (ctx) => {
    if (ctx.auth.tokenKind === "access") return ctx.auth.requireRole(role);
    return ctx.auth.identity();
  });

/** An access token for an organization, with any role the user still holds there. */
export const hasAccess = ruleFrom("hasAccess", (ctx) => ctx.auth.access());

/** Any valid token of an existing user. */
export const isSignedIn = ruleFrom("isSignedIn", (ctx) => ctx.auth.identity());

/**
 * At most `limit` calls of one operation per client IP in `windowSeconds`. It sits on the field,
 * so GraphQL and REST callers share the count and each aliased call in one document counts. Use it
 * alone for a public field or inside `and(...)` with a role rule; each name once. A limit read from
 * the configuration lets an operator (or a test run seeding many tenants) set it.
 */
export const rateLimited = (
  name: string,
  limit: number | ((config: RequestContext["config"]) => number),
  windowSeconds: number,
) => {
  const limited = openToAnonymous(
    ruleFrom(`rateLimited:${name}`, async (ctx) => {
      const max = typeof limit === "number" ? limit : limit(ctx.config);
      const decision = await ctx.limiter.hit(`${name}:ip:${ctx.ip}`, max, windowSeconds);
      if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfter);
    }),
  );
  rateLimitedRules.add(limited);
  return limited;
};

const rateLimitedRules = new WeakSet<object>();

/** A public field under several limits, checked in order: each one counts only calls the ones before let through. */
export const publicWithin = (...limits: ReturnType<typeof rateLimited>[]) => openToAnonymous(chain(...limits));

/** The organization of an organization token, or null for any other caller (or a refused token). */
async function callerOrganization(ctx: RequestContext): Promise<string | null> {
  if (ctx.auth.tokenKind !== "access" && ctx.auth.tokenKind !== "client") return null;
  try {
    return await ctx.auth.organizationId();
  } catch {
    return null;
  }
}

/**
 * One budget shared by every operation whose answer tells whether an e-mail address is registered
 * (userExists, assign-admin's 400 for an unknown address, sign-up's refusal of a registered one):
 * EMAIL_LOOKUP_RATE_LIMIT calls a minute per client IP and, for an organization's token, per
 * organization, so neither many addresses nor many tenants walk around it. Every call counts
 * against both keys; either one refuses.
 */
export const emailLookupLimited = openToAnonymous(
  ruleFrom("rateLimited:emailLookup", async (ctx) => {
    const max = ctx.config.EMAIL_LOOKUP_RATE_LIMIT;
    const organizationId = await callerOrganization(ctx);
    const decisions = await Promise.all([
      ctx.limiter.hit(`emailLookup:ip:${ctx.ip}`, max, 60),
      ...(organizationId ? [ctx.limiter.hit(`emailLookup:org:${organizationId}`, max, 60)] : []),
    ]);
    const refused = decisions.filter((decision) => !decision.allowed);
    if (refused.length > 0) throw new TooManyRequestsError(Math.max(...refused.map((d) => d.retryAfter)));
  }),
);
rateLimitedRules.add(emailLookupLimited);

/** Whether a rule, or any rule an `and`/`or` combines, limits the call rate (the API docs list 429). */
export function limitsRate(rule: unknown): boolean {
  if (typeof rule !== "object" || rule === null) return false;
  if (rateLimitedRules.has(rule)) return true;
  // Shield's logic rules keep what they combine in `rules`.
  const combined = (rule as { rules?: unknown }).rules;
  return Array.isArray(combined) && combined.some(limitsRate);
}

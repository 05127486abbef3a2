import { rule } from "graphql-shield";
import type { Access, AccessDeclarations } from "../auth/access.js";
import { describeAccess, emailLookupPolicy, fieldRatePolicy } from "../auth/access.js";
import { TooManyRequestsError } from "../errors.js";
import type { RequestContext } from "../context.js";

export type RootType = "Query" | "Mutation";

/** Every root field's declaration, merged from the features (and federation's two fields). */
export interface AccessTable {
  Query: Record<string, Access>;
  Mutation: Record<string, Access>;
}

export function accessTable(declarations: readonly AccessDeclarations[]): AccessTable {
  const table: AccessTable = { Query: {}, Mutation: {} };
  for (const declared of declarations) {
    for (const root of ["Query", "Mutation"] as const) {
      for (const [field, access] of Object.entries(declared[root] ?? {})) {
        if (table[root][field]) throw new Error(`${root}.${field} is declared twice`);
        table[root][field] = access;
      }
    }
  }
  return table;
}

/**
 * Throws AppError when the caller may not call `field` as `access` declares. The rate limit counts
 * after the caller is known to be allowed, so refused callers do not use up a member's allowance.
 */
export async function checkAccess(ctx: RequestContext, field: string, access: Access): Promise<void> {
  switch (access.kind) {
    case "anyone":
      break;
    case "signedIn":
      await ctx.auth.identity();
      break;
    case "member":
      await ctx.auth.access();
      break;
    case "permission":
      if (access.identityAlso && ctx.auth.tokenKind !== "access") await ctx.auth.identity();
      else await ctx.auth.requirePermission(access.anyOf);
      break;
  }
  if (access.rateLimit) {
    const policy = fieldRatePolicy(field, access.rateLimit, ctx.config);
    const decision = await ctx.limiter.hit(`${field}:ip:${ctx.ip}`, policy.quota, policy.windowSeconds);
    ctx.rates.record(policy, decision);
    if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfter);
  }
  // Counted after the field's own limit, so it only counts calls that limit let through.
  if (access.emailLookup) await hitEmailLookupBudget(ctx);
}

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
async function hitEmailLookupBudget(ctx: RequestContext): Promise<void> {
  const policy = emailLookupPolicy(ctx.config);
  const organizationId = await callerOrganization(ctx);
  const hit = (key: string) => ctx.limiter.hit(key, policy.quota, policy.windowSeconds);
  const decisions = await Promise.all([
    hit(`emailLookup:ip:${ctx.ip}`),
    ...(organizationId ? [hit(`emailLookup:org:${organizationId}`)] : []),
  ]);
  for (const decision of decisions) ctx.rates.record(policy, decision);
  const refused = decisions.filter((decision) => !decision.allowed);
  if (refused.length > 0) throw new TooManyRequestsError(Math.max(...refused.map((d) => d.retryAfter)));
}

/**
 * The shield rule of one root field, made from its declaration. Shield wants the error returned,
 * and turns anything thrown into a denial: a failing database or rate-limit store would then read
 * as 403. Returned, an unexpected error reaches the one classifier, which logs it as internal.
 */
export function shieldRule(root: RootType, field: string, access: Access) {
  return rule(`${root}.${field}: ${describeAccess(access)}`, { cache: "no_cache" })(
    async (_parent, _args, ctx: RequestContext) => {
      try {
        await checkAccess(ctx, field, access);
        return true;
      } catch (error) {
        return error instanceof Error ? error : new Error(`access rule of ${field} failed: ${String(error)}`);
      }
    },
  );
}

export function shieldRules(table: AccessTable) {
  return Object.fromEntries(
    (["Query", "Mutation"] as const).map((root) => [
      root,
      Object.fromEntries(
        Object.entries(table[root]).map(([field, access]) => [field, shieldRule(root, field, access)]),
      ),
    ]),
  );
}

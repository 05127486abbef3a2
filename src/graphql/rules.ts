import { allow, rule } from "graphql-shield";
import type { Role } from "../auth/roles.js";
import { AppError } from "./errors.js";
import type { RequestContext } from "./context.js";

type Check = (ctx: RequestContext, args: Record<string, unknown>) => Promise<unknown>;

/** A shield rule from a check that throws AppError on refusal; shield wants the error returned. */
export function ruleFrom(name: string, check: Check) {
  return rule(name, { cache: "no_cache" })(async (_parent, args, ctx: RequestContext) => {
    try {
      await check(ctx, args as Record<string, unknown>);
      return true;
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  });
}

/** Anyone, without a token. Named so that "public" is a decision visible in the rule table. */
export const isPublic = allow;

export const hasRole = (role: Role) => ruleFrom(`has${role}`, (ctx) => ctx.auth.requireRole(role));

export const isAdmin = hasRole("Admin");
export const isCustomer = hasRole("Customer");
export const isSalesRep = hasRole("SalesRep");

/** Own-data reads: an identity token (built-in or external), or an access token with `role`. */
export const hasIdentityOr = (role: Role) =>
  ruleFrom(`identityOr${role}`, async (ctx) => {
    if (ctx.auth.tokenKind === "access") return ctx.auth.requireRole(role);
    return ctx.auth.identity();
  });

/** Any valid token of an existing user. */
export const isSignedIn = ruleFrom("isSignedIn", (ctx) => ctx.auth.identity());

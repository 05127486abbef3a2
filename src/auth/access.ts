import type { Config } from "../config.js";
import type { RatePolicy } from "../rate-limit/rate-report.js";
import type { Permission } from "./permissions.js";

/** At most `limit` calls per client IP in `windowSeconds`, counted per root field. */
export interface RateLimit {
  limit: number | ((config: Config) => number);
  windowSeconds: number;
}

/**
 * What one root field (and so every REST route that runs it) requires of its caller. Each feature
 * declares one per field in its rules file; the shield rules, federation's `_entities` and the
 * REST edge are all made from these, so there is no second list to keep in step.
 */
export type Access =
  /** Anyone, without a token: a decision, not an omission. */
  (
    | { kind: "anyone" }
    /** Any valid token of a user that still exists; the operation decides the rest. */
    | { kind: "signedIn" }
    /** An organization token whose holder still has some standing there, whatever it holds. */
    | { kind: "member" }
    /**
     * An organization token holding at least one of `anyOf` now. `identityAlso`: an own-data read
     * that also answers an identity token, before the caller has chosen an organization.
     */
    | { kind: "permission"; anyOf: readonly Permission[]; identityAlso: boolean }
  ) & {
    rateLimit?: RateLimit;
    /** The answer tells whether an e-mail address is registered: the shared e-mail lookup budget applies. */
    emailLookup?: boolean;
  };

export interface AccessDeclarations {
  Query?: Record<string, Access>;
  Mutation?: Record<string, Access>;
}

export const anyone: Access = { kind: "anyone" };

export const signedIn: Access = { kind: "signedIn" };

export const member: Access = { kind: "member" };

/** One of these permissions, held now in the token's organization. */
export const requires = (...anyOf: [Permission, ...Permission[]]): Access => ({
  kind: "permission",
  anyOf,
  identityAlso: false,
});

/** Own-data reads: an identity token, or an access token holding `permission`. */
export const identityOr = (permission: Permission): Access => ({
  kind: "permission",
  anyOf: [permission],
  identityAlso: true,
});

/** The same access, limited per client IP; GraphQL and REST callers share the count. */
export const limited = (access: Access, limit: RateLimit["limit"], windowSeconds: number): Access => ({
  ...access,
  rateLimit: { limit, windowSeconds },
});

/** The same access, counted against the e-mail lookup budget after any limit of its own. */
export const looksUpEmail = (access: Access): Access => ({ ...access, emailLookup: true });

/** Whether a caller without any token may call the field. */
export const isOpenToAnonymous = (access: Access | undefined): boolean => access?.kind === "anyone";

/** The quota a field's own limit sets, named after the field in the RateLimit headers. */
export function fieldRatePolicy(field: string, rateLimit: RateLimit, config: Config): RatePolicy {
  const { limit, windowSeconds } = rateLimit;
  return { name: field, quota: typeof limit === "number" ? limit : limit(config), windowSeconds };
}

/** The e-mail lookup budget: EMAIL_LOOKUP_RATE_LIMIT calls a minute. */
export const emailLookupPolicy = (config: Config): RatePolicy => ({
  name: "emailLookup",
  quota: config.EMAIL_LOOKUP_RATE_LIMIT,
  windowSeconds: 60,
});

/** Every quota a call of the field counts against, in the order they are counted. */
export function ratePoliciesOf(field: string, access: Access | undefined, config: Config): RatePolicy[] {
  return [
    ...(access?.rateLimit ? [fieldRatePolicy(field, access.rateLimit, config)] : []),
    ...(access?.emailLookup ? [emailLookupPolicy(config)] : []),
  ];
}

/** A short human description, for the rule names shield logs and for tests. */
export function describeAccess(access: Access): string {
  const base =
    access.kind === "permission"
      ? `${access.identityAlso ? "identity or " : ""}${access.anyOf.join(" or ")}`
      : access.kind;
  return access.rateLimit || access.emailLookup ? `${base}, rate limited` : base;
}

import type { RateDecision } from "./rate-limiter.js";

/** A quota as the RateLimit-Policy field names it: `quota` hits per `windowSeconds`. */
export interface RatePolicy {
  name: string;
  quota: number;
  windowSeconds: number;
}

/**
 * The quotas one request was counted against, for the IETF RateLimit-Policy and RateLimit fields
 * (draft-ietf-httpapi-ratelimit-headers): `"signIn";q=60;w=60` and `"signIn";r=59;t=60`. A policy
 * counted more than once (aliased GraphQL fields, a budget kept per IP and per organization)
 * reports its tightest count.
 */
export class RateReport {
  private readonly counted = new Map<string, { policy: RatePolicy; decision: RateDecision }>();

  record(policy: RatePolicy, decision: RateDecision): void {
    const earlier = this.counted.get(policy.name);
    if (earlier && earlier.decision.remaining < decision.remaining) return;
    this.counted.set(policy.name, { policy, decision });
  }

  /** The two fields, or none when the request was counted against no quota. */
  headers(): Record<string, string> {
    const counted = [...this.counted.values()];
    if (counted.length === 0) return {};
    const name = (policy: RatePolicy) => JSON.stringify(policy.name);
    return {
      "ratelimit-policy": counted
        .map(({ policy }) => `${name(policy)};q=${policy.quota};w=${policy.windowSeconds}`)
        .join(", "),
      ratelimit: counted
        .map(({ policy, decision }) => `${name(policy)};r=${decision.remaining};t=${decision.resetSeconds}`)
        .join(", "),
    };
  }
}

const reports = new WeakMap<object, RateReport>();

/** The report of one HTTP request, shared by every context made for it and read when it is answered. */
export function rateReportOf(request: object): RateReport {
  let report = reports.get(request);
  if (!report) {
    report = new RateReport();
    reports.set(request, report);
  }
  return report;
}

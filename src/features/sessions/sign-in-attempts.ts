import { createHash } from "node:crypto";
import type { RequestContext } from "../../context.js";
import { TooManyRequestsError } from "../../errors.js";

export const maxSignInFailures = 5;
export const signInFailureWindowSeconds = 15 * 60;

// Hashed so the shared store holds no e-mail addresses; lower-cased as addresses compare.
const failuresKey = (email: string) =>
  `signInFailures:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;

/**
 * Counts an attempt for the address before its password is checked, so parallel guesses cannot
 * all slip under the limit; a success then clears the count, which leaves only failures counted.
 * Unknown addresses count alike, so the lockout says nothing about which accounts exist.
 */
export async function countSignInAttempt(ctx: RequestContext, email: string): Promise<void> {
  const decision = await ctx.limiter.hit(failuresKey(email), maxSignInFailures, signInFailureWindowSeconds);
  if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfter);
}

export async function clearSignInFailures(ctx: RequestContext, email: string): Promise<void> {
  await ctx.limiter.reset(failuresKey(email));
}

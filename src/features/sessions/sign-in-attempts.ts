import { createHash } from "node:crypto";
import type { RequestContext } from "../../context.js";
import { TooManyRequestsError } from "../../errors.js";
import { hashDeviceToken } from "./device-tokens.js";

export const maxSignInFailures = 5;
export const signInFailureWindowSeconds = 15 * 60;

// Hashed so the shared store holds no e-mail addresses; lower-cased as addresses compare.
const addressHash = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
const failuresKey = (email: string) => `signInFailures:${addressHash(email)}`;
const deviceFailuresKey = (deviceToken: string) => `signInFailures:device:${hashDeviceToken(deviceToken)}`;
const lockoutMailKey = (email: string) => `lockoutMail:${addressHash(email)}`;

/** Whose failures a sign-in counts against: the address's shared count, or one recognised device's own. */
export type AttemptCounter = { address: string } | { deviceToken: string };

const keyOf = (counter: AttemptCounter) =>
  "deviceToken" in counter ? deviceFailuresKey(counter.deviceToken) : failuresKey(counter.address);

/**
 * Counts an attempt before its password is checked, so parallel guesses cannot all slip under the
 * limit; a success then clears the count, which leaves only failures counted. Unknown addresses
 * count alike, so the lockout says nothing about which accounts exist. A client presenting a device
 * token of the account is counted on its own, so a stranger's failures do not lock the owner out.
 */
export async function countSignInAttempt(ctx: RequestContext, counter: AttemptCounter): Promise<void> {
  const decision = await ctx.limiter.hit(keyOf(counter), maxSignInFailures, signInFailureWindowSeconds);
  if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfter);
}

export async function clearSignInFailures(ctx: RequestContext, counter: AttemptCounter): Promise<void> {
  await ctx.limiter.reset(keyOf(counter));
}

/** Whether the owner of a locked address is yet to be told of the lockout in this window (once a window). */
export async function firstLockoutNotice(ctx: RequestContext, email: string): Promise<boolean> {
  return (await ctx.limiter.hit(lockoutMailKey(email), 1, signInFailureWindowSeconds)).allowed;
}

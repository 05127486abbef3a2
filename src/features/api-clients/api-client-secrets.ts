import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Prefixes let secret scanners (and people) recognise a leaked credential.
const idPrefix = "gwci_";
const secretPrefix = "gwcs_";

export const newClientId = () => `${idPrefix}${randomBytes(16).toString("hex")}`;

/** 32 random bytes: too much entropy to guess, so a fast hash stores it safely. */
export const newClientSecret = () => `${secretPrefix}${randomBytes(32).toString("base64url")}`;

export const hashClientSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export function secretMatches(secret: string, storedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashClientSecret(secret), "hex"), Buffer.from(storedHash, "hex"));
}

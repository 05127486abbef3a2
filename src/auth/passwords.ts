import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { zxcvbn, zxcvbnOptions } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";

// One of OWASP's scrypt settings (N=2^15, r=8, p=3): the memory of N=2^15 (32 MiB, well inside
// maxmem) and three times its work, rather than N=2^17's 128 MiB per concurrent sign-in.
const params = { N: 2 ** 15, r: 8, p: 3 } as const;
const keyLength = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, { ...options, maxmem: 128 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

// Verifying against this when the account is unknown keeps both answers equally slow.
const decoy = hashPassword(randomBytes(16).toString("hex"));

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const encoded = stored ?? (await decoy);
  const [scheme, n, r, p, salt, key] = encoded.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected) && stored != null;
}

/** Whether a stored hash was made with weaker settings than today's, to rehash at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split("$");
  return scheme !== "scrypt" || Number(n) < params.N || Number(r) < params.r || Number(p) < params.p;
}

/** zxcvbn's score (0-4) a password must reach: 3 is "safely unguessable" against online and slow offline guessing. */
const minimumScore = 3;
/** The estimate's cost grows with length; what follows the first 100 characters only adds strength. */
const estimatedLength = 100;

let estimatorReady = false;

function estimate(password: string) {
  if (!estimatorReady) {
    // The common-password, name and keyboard lists ship in the package: nothing is fetched at run time.
    zxcvbnOptions.setOptions({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
    estimatorReady = true;
  }
  return zxcvbn(password.slice(0, estimatedLength));
}

/** Why zxcvbn finds a password guessable, in words an error message can carry. */
const reasons: Record<string, string> = {
  topTen: "it is one of the ten most common passwords",
  topHundred: "it is one of the hundred most common passwords",
  common: "it is a very common password",
  similarToCommon: "it is a common password with small changes",
  wordByItself: "a single word is easy to guess",
  namesByThemselves: "names on their own are easy to guess",
  commonNames: "common names are easy to guess",
  straightRow: "it is a row of keys",
  keyPattern: "it is a keyboard pattern",
  simpleRepeat: "it repeats a character",
  extendedRepeat: "it repeats a pattern",
  sequences: "it is a sequence such as abc or 123",
  recentYears: "recent years are easy to guess",
  dates: "dates are easy to guess",
};

/**
 * Password policy shared by every operation that sets one: 8 to 256 characters, and not guessable
 * by zxcvbn's estimate (common and breached passwords, words, names, dates, keyboard patterns,
 * repeats). Returns the problem, or null.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return "must be at least 8 characters";
  if (password.length > 256) return "must be at most 256 characters";
  const result = estimate(password);
  if (result.score >= minimumScore) return null;
  const reason = reasons[result.feedback.warning ?? ""] ?? "it follows a pattern password guessers try early";
  return `is too easy to guess: ${reason}; use a longer passphrase of unrelated words, or a password manager`;
}

import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

// N=2^15, r=8 costs 32 MiB and tens of milliseconds per hash: OWASP's scrypt floor.
const params = { N: 2 ** 15, r: 8, p: 1 } as const;
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

/** Password policy shared by every operation that sets one. Returns the problem, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return "must be at least 8 characters";
  if (password.length > 256) return "must be at most 256 characters";
  return null;
}

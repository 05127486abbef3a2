import { createLocalJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";

/**
 * What every peer does with the bearer token, as the gateway does: an ES256 signature checked
 * against the gateway's published keys, issuer, audience and expiry. The keys are read once at
 * start-up (BENCH_JWKS_URL): the gateway's ring does not rotate during a bench.
 */
export interface Caller {
  userId: string;
  organizationId: string;
}

export async function tokenVerifier(): Promise<(authorization: string | undefined) => Promise<Caller | null>> {
  const response = await fetch(process.env.BENCH_JWKS_URL!);
  const keys: JWTVerifyGetKey = createLocalJWKSet((await response.json()) as Parameters<typeof createLocalJWKSet>[0]);
  const options = {
    issuer: process.env.BENCH_JWT_ISSUER!,
    audience: process.env.BENCH_JWT_AUDIENCE!,
    algorithms: ["ES256"],
  };
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, keys, options);
      if (payload.token_use !== "access") return null;
      return { userId: String(payload.UserId), organizationId: String(payload.OrganizationId) };
    } catch {
      return null;
    }
  };
}

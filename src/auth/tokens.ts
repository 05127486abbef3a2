import { randomUUID, type KeyObject } from "node:crypto";
import {
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTHeaderParameters,
  type JWTPayload,
} from "jose";
import { LRUCache } from "lru-cache";
import type { Config } from "../config.js";
import type { KeyRing } from "./key-ring.js";
import { isPermission, type Permission } from "./permissions.js";
import { isRole, type Role } from "./roles.js";

export interface IdentityClaims {
  userId: string;
  email: string;
}

export interface AccessClaims extends IdentityClaims {
  /** The sign-in this access token was enriched from (its identity token's `sid`). */
  sessionId?: string;
  organizationId: string;
  roles: Role[];
  /** Every permission held at issue, so a storefront or order service can decide without calling back. */
  permissions?: Permission[];
  customerNumber?: string;
  priceTier?: string;
  currencyCode?: string;
  /** The acting customer's credit hold when the token was issued; the grant has the current one. */
  creditHold?: boolean;
}

/** An API client's organization token, from the OAuth client-credentials exchange. */
export interface ClientClaims {
  clientId: string;
  organizationId: string;
  roles: Role[];
  permissions?: Permission[];
}

/** Which sign-in a user token belongs to and when it was issued, for signing out. */
export interface SessionClaims {
  /** The `sid` claim: the jti of the sign-in's identity token (the token's own jti when it has none). */
  sessionId: string;
  /**
   * When it was issued, in milliseconds (`iat_ms`; `iat` seconds for a token without one): signing
   * out every session refuses what was issued before that millisecond, not before that second,
   * so a sign-in right after a password change works.
   */
  issuedAt: number;
}

/** What a verified bearer token says; `external` comes from the configured OpenID provider. */
export type VerifiedToken =
  | ({ kind: "identity" } & IdentityClaims & SessionClaims)
  | ({ kind: "access" } & AccessClaims & SessionClaims)
  | ({ kind: "client" } & ClientClaims)
  | { kind: "external"; subject: string; email?: string };

/** A signed token as every transport hands it out; REST cases the keys at its edge. */
export interface IssuedToken {
  accessToken: string;
  tokenType: "Bearer";
  expiresIn: number;
}

export class InvalidTokenError extends Error {}

/**
 * Own tokens whose signature and claims were verified, by their exact text. A client sends the
 * same token with every request until it expires, and an ECDSA verification is the largest single
 * cost of a small request; what can change while a token lives is re-checked on every use: its
 * expiry and its signing key (retired past its grace, it verifies nothing). Revocation is the
 * database's check, after this one, as before. About 1 KB an entry.
 */
const verifiedTokensKept = 4096;

interface VerifiedOwnToken {
  verified: VerifiedToken;
  /** `exp`, in seconds. */
  expiresAt: number;
  kid: string | undefined;
}

export class TokenService {
  private readonly external?: ReturnType<typeof createRemoteJWKSet>;
  private readonly verifiedOwn = new LRUCache<string, VerifiedOwnToken>({ max: verifiedTokensKept });

  constructor(
    private readonly keys: KeyRing,
    private readonly config: Pick<
      Config,
      | "JWT_ISSUER"
      | "JWT_AUDIENCE"
      | "JWT_TTL_SECONDS"
      | "JWT_CLOCK_SKEW_SECONDS"
      | "JWT_MAX_LIFETIME_SECONDS"
      | "IDP_JWKS_URL"
      | "IDP_ISSUER"
      | "IDP_AUDIENCE"
    >,
  ) {
    if (config.IDP_JWKS_URL) {
      this.external = createRemoteJWKSet(new URL(config.IDP_JWKS_URL), { cooldownDuration: 30_000 });
    }
  }

  /** Every key that still verifies: a retired key stays until tokens it signed have expired. */
  get jwks(): { keys: unknown[] } {
    return { keys: this.keys.publicJwks };
  }

  /** A sign-in: its identity token opens a session, named by the token's own jti. */
  issueIdentity(claims: IdentityClaims): Promise<IssuedToken> {
    const jti = randomUUID();
    return this.sign(
      { token_use: "identity", UserId: claims.userId, Email: claims.email, sid: jti },
      claims.userId,
      jti,
    );
  }

  issueAccess(claims: AccessClaims): Promise<IssuedToken> {
    const payload: JWTPayload = {
      token_use: "access",
      UserId: claims.userId,
      Email: claims.email,
      OrganizationId: claims.organizationId,
      Roles: claims.roles,
    };
    if (claims.sessionId) payload.sid = claims.sessionId;
    if (claims.permissions) payload.Permissions = claims.permissions;
    if (claims.customerNumber) {
      payload.CustomerNumber = claims.customerNumber;
      payload.PriceTier = claims.priceTier ?? null;
      payload.CurrencyCode = claims.currencyCode ?? null;
      payload.CreditHold = claims.creditHold ?? false;
    }
    return this.sign(payload, claims.userId);
  }

  issueClient(claims: ClientClaims): Promise<IssuedToken> {
    const payload: JWTPayload = {
      token_use: "client",
      client_id: claims.clientId,
      OrganizationId: claims.organizationId,
      Roles: claims.roles,
      scope: claims.roles.join(" "),
    };
    if (claims.permissions) payload.Permissions = claims.permissions;
    return this.sign(payload, claims.clientId);
  }

  /** Verifies signature, algorithm, issuer, audience, expiry, not-before and jti; throws InvalidTokenError. */
  async verify(token: string): Promise<VerifiedToken> {
    const known = this.verifiedOwn.get(token);
    // Past its expiry or its key, the full verification below refuses it with the usual reason.
    if (known && known.expiresAt * 1000 > Date.now() && (await this.keys.verificationKey(known.kid))) {
      return known.verified;
    }
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new InvalidTokenError("The bearer token is malformed");
    }
    try {
      if (issuer === this.config.JWT_ISSUER) return await this.verifyOwn(token);
      if (this.external && issuer === this.config.IDP_ISSUER) return await this.verifyExternal(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof joseErrors.JWTExpired) {
        throw new InvalidTokenError(
          "The bearer token has expired: get a new one (sign in again, then POST /api/auth/access; see /problems#unauthenticated)",
        );
      }
      if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError("The bearer token is not valid");
      throw error;
    }
    throw new InvalidTokenError("The bearer token was not issued by a trusted issuer");
  }

  private async sign(payload: JWTPayload, subject: string, jti = randomUUID()): Promise<IssuedToken> {
    const ttl = this.config.JWT_TTL_SECONDS;
    const key = this.keys.signingKey;
    const token = await new SignJWT({ ...payload, iat_ms: Date.now() })
      .setProtectedHeader({ alg: key.algorithm, kid: key.kid, typ: "JWT" })
      .setSubject(subject)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .setJti(jti)
      .sign(key.privateKey);
    return { accessToken: token, tokenType: "Bearer", expiresIn: ttl };
  }

  private async verifyOwn(token: string): Promise<VerifiedToken> {
    const { payload, protectedHeader } = await jwtVerify(token, (header) => this.verificationKey(header), {
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      // sign() always sets jti: a token without one was not minted by this gateway's issuing path.
      requiredClaims: ["sub", "exp", "iat", "jti"],
    });
    this.checkAge(payload);
    const verified = Object.freeze(ownClaims(payload));
    this.verifiedOwn.set(token, { verified, expiresAt: payload.exp!, kid: protectedHeader.kid });
    return verified;
  }

  /**
   * A token minted ahead of time, or to live longer than any this deployment issues, is refused
   * whoever signed it: a leaked or misused signing key then yields no long-lived tokens.
   */
  private checkAge(payload: JWTPayload): void {
    const now = Math.floor(Date.now() / 1000);
    const { iat, exp } = payload as { iat: number; exp: number };
    if (iat > now + this.config.JWT_CLOCK_SKEW_SECONDS) {
      throw new InvalidTokenError("The bearer token was issued in the future");
    }
    if (exp - iat > this.config.JWT_MAX_LIFETIME_SECONDS) {
      throw new InvalidTokenError("The bearer token lives longer than this gateway allows");
    }
  }

  /** The ring key the header names; its algorithm is pinned, whatever the header claims. */
  private async verificationKey(header: JWTHeaderParameters): Promise<KeyObject> {
    const key = await this.keys.verificationKey(header.kid);
    if (!key) throw new InvalidTokenError("The bearer token was signed with an unknown or retired key");
    if (header.alg !== key.algorithm) throw new InvalidTokenError("The bearer token is not valid");
    return key.publicKey;
  }

  private async verifyExternal(token: string): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, this.external!, {
      issuer: this.config.IDP_ISSUER,
      audience: this.config.IDP_AUDIENCE,
      // Asymmetric only: an HMAC token would be signed with a secret the provider shares.
      algorithms: ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "EdDSA"],
      requiredClaims: ["sub", "exp", "iat"],
    });
    this.checkAge(payload);
    const email = typeof payload.email === "string" ? payload.email : undefined;
    return { kind: "external", subject: payload.sub!, email };
  }
}

const rolesOf = (payload: JWTPayload): Role[] => (Array.isArray(payload.Roles) ? payload.Roles.filter(isRole) : []);

/** Undefined for a token without the claim, so its roles' sets apply. */
const permissionsOf = (payload: JWTPayload): Permission[] | undefined =>
  Array.isArray(payload.Permissions) ? payload.Permissions.filter(isPermission) : undefined;

function clientClaims(payload: JWTPayload): VerifiedToken {
  const clientId = payload.client_id;
  if (typeof clientId !== "string" || clientId !== payload.sub || typeof payload.OrganizationId !== "string") {
    throw new InvalidTokenError("The bearer token is missing its client claims");
  }
  return {
    kind: "client",
    clientId,
    organizationId: payload.OrganizationId,
    roles: rolesOf(payload),
    permissions: permissionsOf(payload),
  };
}

/** The claims of a verified own token, by its kind (`token_use`). */
function ownClaims(payload: JWTPayload): VerifiedToken {
  if (payload.token_use === "client") return clientClaims(payload);
  const userId = payload.UserId;
  const email = payload.Email;
  if (typeof userId !== "string" || typeof email !== "string" || userId !== payload.sub) {
    throw new InvalidTokenError("The bearer token is missing its user claims");
  }
  const session: SessionClaims = {
    sessionId: typeof payload.sid === "string" ? payload.sid : payload.jti!,
    issuedAt: typeof payload.iat_ms === "number" ? payload.iat_ms : payload.iat! * 1000,
  };
  if (payload.token_use === "identity") return { kind: "identity", userId, email, ...session };
  if (payload.token_use !== "access" || typeof payload.OrganizationId !== "string") {
    throw new InvalidTokenError("The bearer token is not an identity or access token");
  }
  return {
    kind: "access",
    userId,
    email,
    ...session,
    organizationId: payload.OrganizationId,
    roles: rolesOf(payload),
    permissions: permissionsOf(payload),
    customerNumber: typeof payload.CustomerNumber === "string" ? payload.CustomerNumber : undefined,
    priceTier: typeof payload.PriceTier === "string" ? payload.PriceTier : undefined,
    currencyCode: typeof payload.CurrencyCode === "string" ? payload.CurrencyCode : undefined,
    creditHold: typeof payload.CreditHold === "boolean" ? payload.CreditHold : undefined,
  };
}

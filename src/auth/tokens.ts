import { randomUUID } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { Config } from "../config.js";
import type { SigningKey } from "./keys.js";
import { isRole, type Role } from "./roles.js";

export interface IdentityClaims {
  userId: string;
  email: string;
}

export interface AccessClaims extends IdentityClaims {
  organizationId: string;
  roles: Role[];
  customerNumber?: string;
  priceTier?: string;
  currencyCode?: string;
}

/** What a verified bearer token says; `external` comes from the configured OpenID provider. */
export type VerifiedToken =
  | ({ kind: "identity" } & IdentityClaims)
  | ({ kind: "access" } & AccessClaims)
  | { kind: "external"; subject: string; email?: string };

export interface IssuedToken {
  AccessToken: string;
  TokenType: "Bearer";
  ExpiresIn: number;
}

export class InvalidTokenError extends Error {}

export class TokenService {
  private readonly external?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly key: SigningKey,
    private readonly config: Pick<
      Config,
      "JWT_ISSUER" | "JWT_AUDIENCE" | "JWT_TTL_SECONDS" | "IDP_JWKS_URL" | "IDP_ISSUER" | "IDP_AUDIENCE"
    >,
  ) {
    if (config.IDP_JWKS_URL) {
      this.external = createRemoteJWKSet(new URL(config.IDP_JWKS_URL), { cooldownDuration: 30_000 });
    }
  }

  get jwks(): { keys: unknown[] } {
    return { keys: [this.key.publicJwk] };
  }

  issueIdentity(claims: IdentityClaims): Promise<IssuedToken> {
    return this.sign({ token_use: "identity", UserId: claims.userId, Email: claims.email }, claims.userId);
  }

  issueAccess(claims: AccessClaims): Promise<IssuedToken> {
    const payload: JWTPayload = {
      token_use: "access",
      UserId: claims.userId,
      Email: claims.email,
      OrganizationId: claims.organizationId,
      Roles: claims.roles,
    };
    if (claims.customerNumber) {
      payload.CustomerNumber = claims.customerNumber;
      payload.PriceTier = claims.priceTier ?? null;
      payload.CurrencyCode = claims.currencyCode ?? null;
    }
    return this.sign(payload, claims.userId);
  }

  /** Verifies signature, algorithm, issuer, audience, expiry, not-before and jti; throws InvalidTokenError. */
  async verify(token: string): Promise<VerifiedToken> {
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
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError("The bearer token has expired");
      if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError("The bearer token is not valid");
      throw error;
    }
    throw new InvalidTokenError("The bearer token was not issued by a trusted issuer");
  }

  private async sign(payload: JWTPayload, subject: string): Promise<IssuedToken> {
    const ttl = this.config.JWT_TTL_SECONDS;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: this.key.algorithm, kid: this.key.kid, typ: "JWT" })
      .setSubject(subject)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { AccessToken: token, TokenType: "Bearer", ExpiresIn: ttl };
  }

  private async verifyOwn(token: string): Promise<VerifiedToken> {
    // Only one key signs, but a token naming another one was not signed by it: refuse it by name.
    const keyFor = (header: { kid?: string }) => {
      if (header.kid !== undefined && header.kid !== this.key.kid) {
        throw new InvalidTokenError("The bearer token names an unknown signing key");
      }
      return this.key.publicKey;
    };
    const { payload } = await jwtVerify(token, keyFor, {
      algorithms: [this.key.algorithm],
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      // sign() always sets jti: a token without one was not minted by this gateway's issuing path.
      requiredClaims: ["sub", "exp", "iat", "jti"],
    });
    const userId = payload.UserId;
    const email = payload.Email;
    if (typeof userId !== "string" || typeof email !== "string" || userId !== payload.sub) {
      throw new InvalidTokenError("The bearer token is missing its user claims");
    }
    if (payload.token_use === "identity") return { kind: "identity", userId, email };
    if (payload.token_use !== "access" || typeof payload.OrganizationId !== "string") {
      throw new InvalidTokenError("The bearer token is not an identity or access token");
    }
    const roles = Array.isArray(payload.Roles) ? payload.Roles.filter(isRole) : [];
    return {
      kind: "access",
      userId,
      email,
      organizationId: payload.OrganizationId,
      roles,
      customerNumber: typeof payload.CustomerNumber === "string" ? payload.CustomerNumber : undefined,
      priceTier: typeof payload.PriceTier === "string" ? payload.PriceTier : undefined,
      currencyCode: typeof payload.CurrencyCode === "string" ? payload.CurrencyCode : undefined,
    };
  }

  private async verifyExternal(token: string): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, this.external!, {
      issuer: this.config.IDP_ISSUER,
      audience: this.config.IDP_AUDIENCE,
      // Asymmetric only: an HMAC token would be signed with a secret the provider shares.
      algorithms: ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "EdDSA"],
      requiredClaims: ["sub", "exp"],
    });
    const email = typeof payload.email === "string" ? payload.email : undefined;
    return { kind: "external", subject: payload.sub!, email };
  }
}

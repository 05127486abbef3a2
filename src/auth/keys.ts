import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

export interface SigningKey {
  kid: string;
  algorithm: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

export class KeyConfigError extends Error {
  override name = "KeyConfigError";
}

/** A new ES256 key pair, for the database key ring. */
export function generateSigningKey(): Promise<SigningKey> {
  return fromPrivateKey(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
}

export function signingKeyFromJwk(privateJwk: JWK): Promise<SigningKey> {
  return fromPrivateKey(createPrivateKey({ key: privateJwk, format: "jwk" }));
}

export function privateJwkOf(key: SigningKey): JWK {
  return key.privateKey.export({ format: "jwk" }) as JWK;
}

/** JWT_PRIVATE_KEY, in PEM (PKCS#8) or JWK form. */
export function configuredSigningKey(value: string): Promise<SigningKey> {
  return fromPrivateKey(parseConfiguredKey(value));
}

function parseConfiguredKey(value: string): KeyObject {
  try {
    const text = value.includes("\\n") ? value.replaceAll("\\n", "\n") : value;
    if (text.trimStart().startsWith("{")) {
      return createPrivateKey({ key: JSON.parse(text) as JWK, format: "jwk" });
    }
    return createPrivateKey(text);
  } catch {
    throw new KeyConfigError("JWT_PRIVATE_KEY: not a private key in PEM (PKCS#8) or JWK form");
  }
}

function algorithmFor(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === "rsa" || type === "rsa-pss") return "RS256";
  if (type === "ed25519") return "EdDSA";
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1") return "ES256";
    if (curve === "secp384r1") return "ES384";
    if (curve === "secp521r1") return "ES512";
  }
  throw new KeyConfigError(`JWT_PRIVATE_KEY: unsupported key type ${type ?? "unknown"}`);
}

async function fromPrivateKey(privateKey: KeyObject): Promise<SigningKey> {
  const algorithm = algorithmFor(privateKey);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, algorithm, privateKey, publicKey, publicJwk: { ...jwk, kid, alg: algorithm, use: "sig" } };
}

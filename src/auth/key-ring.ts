import type { JWK } from "jose";
import type { Database } from "../db/client.js";
import { configuredSigningKey, type SigningKey } from "./keys.js";
import { ensureSigningKey, readKeyRing, type StoredKey } from "./key-store.js";

/** A token naming a kid this instance does not know re-reads the ring at most this often. */
const unknownKidCooldownMs = 5_000;

export interface KeyRingOptions {
  /** How long a retired key still verifies (token TTL plus a margin). */
  graceSeconds: number;
  /** How often the ring is re-read, so a rotation reaches every instance without a restart. */
  refreshSeconds: number;
  onRefreshError: (error: unknown) => void;
}

/**
 * The keys this instance signs and verifies with. With JWT_PRIVATE_KEY it is that one key; else it
 * mirrors the database ring, re-read periodically and when a token names an unknown kid.
 */
export class KeyRing {
  private keys: StoredKey[];
  private lastRead = Date.now();
  private reading?: Promise<void>;
  private timer?: NodeJS.Timeout;

  private constructor(
    keys: StoredKey[],
    private readonly source?: { db: Database; options: KeyRingOptions },
  ) {
    this.keys = keys;
  }

  static async configured(privateKey: string): Promise<KeyRing> {
    return new KeyRing([{ ...(await configuredSigningKey(privateKey)), activatedAt: new Date(0), retiredAt: null }]);
  }

  static async fromDatabase(db: Database, options: KeyRingOptions): Promise<KeyRing> {
    await ensureSigningKey(db);
    const ring = new KeyRing(await readKeyRing(db, options.graceSeconds), { db, options });
    ring.timer = setInterval(() => void ring.refresh().catch(options.onRefreshError), options.refreshSeconds * 1000);
    ring.timer.unref();
    return ring;
  }

  /** The key new tokens are signed with: the newest one whose activation time has come. */
  get signingKey(): SigningKey {
    const now = Date.now();
    return this.keys.find((key) => key.activatedAt.getTime() <= now) ?? this.keys.at(-1)!;
  }

  /** The public keys of every key that still verifies, for the JWKS document. */
  get publicJwks(): JWK[] {
    return this.usable().map((key) => key.publicJwk);
  }

  /**
   * The key to verify a token signed with `kid`, re-reading the ring (rate limited) when it is
   * unknown. A configured key is the only one, so it also verifies tokens minted without a kid.
   */
  async verificationKey(kid: string | undefined): Promise<SigningKey | undefined> {
    if (kid === undefined) return this.source ? undefined : this.signingKey;
    const known = this.usable().find((key) => key.kid === kid);
    if (known || !this.source || Date.now() - this.lastRead < unknownKidCooldownMs) return known;
    await this.refresh();
    return this.usable().find((key) => key.kid === kid);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private usable(): StoredKey[] {
    const graceMs = (this.source?.options.graceSeconds ?? 0) * 1000;
    const now = Date.now();
    return this.keys.filter((key) => key.retiredAt === null || key.retiredAt.getTime() + graceMs > now);
  }

  /** One read at a time: concurrent callers share it. */
  private refresh(): Promise<void> {
    this.reading ??= (async () => {
      try {
        this.lastRead = Date.now();
        const keys = await readKeyRing(this.source!.db, this.source!.options.graceSeconds);
        if (keys.length > 0) this.keys = keys;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}

import { randomUUID } from "node:crypto";
import { exportPKCS8, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { addMember, associate, seedCustomer, seedMember, type Member } from "./customer-seed.js";
import { Client } from "./http.js";
import type { PostmarkStandIn } from "./postmark-stand-in.js";
import { addRep, repAccessToken } from "./sales-rep-seed.js";
import { accessToken, password, seedOrganization, signIn, type SeededOrganization } from "./seed.js";
import { startServer, startServerWithMail, type StartOptions, type TestServer } from "./server.js";

/**
 * The shared preamble of the integration tests, in the style of a fluent seeding kit:
 *
 *   const kit = await testKit();
 *   const acme = await kit.organization();
 *   const customer = await acme.customerUser();
 *   kit.tokens.tampered(acme.adminToken);
 *
 * Everything is seeded through the public routes, as an integrator would.
 */
export async function testKit(options: KitOptions = {}): Promise<TestKit> {
  const { mail, trustForgedTokens, ...start } = options;
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const env = trustForgedTokens ? { JWT_PRIVATE_KEY: await exportPKCS8(privateKey), ...start.env } : start.env;
  if (!mail) return new TestKit(await startServer({ ...start, env }), undefined, privateKey, env);
  const server = await startServerWithMail({ ...start, env });
  return new TestKit(server, server.postmark, privateKey, env);
}

export interface KitOptions extends StartOptions {
  /** Send e-mail to a stand-in Postmark, for tests that read invitations. */
  mail?: boolean;
  /** The server signs with the kit's key, so `tokens.forged` carry a valid signature. */
  trustForgedTokens?: boolean;
}

/**
 * The kit's seeding through any client of a running gateway, also of one the kit did not start
 * (the real entry point in a child process): `new Seeding(client).organization()`.
 */
export class Seeding {
  constructor(
    readonly client: Client,
    private readonly mail?: PostmarkStandIn,
  ) {}

  get postmark(): PostmarkStandIn {
    if (!this.mail)
      throw new Error("start the kit with { mail: true } (or give Seeding a stand-in Postmark) to read e-mail");
    return this.mail;
  }

  /** A new organization and its first admin, signed in. */
  async organization(name?: string): Promise<Organization> {
    return new Organization(this, await seedOrganization(this.client, name));
  }

  /** Signs an account in (POST /api/auth/sign-in) and returns its identity token. */
  identityToken(email: string, pass = password): Promise<string> {
    return signIn(this.client, email, pass);
  }
}

export class TestKit extends Seeding {
  readonly tokens: Tokens;
  private readonly instances: TestServer[] = [];

  constructor(
    readonly server: TestServer,
    mail: PostmarkStandIn | undefined,
    signingKey: CryptoKey,
    private readonly env: StartOptions["env"],
  ) {
    super(new Client(server.url), mail);
    this.tokens = new Tokens(signingKey, server.config.JWT_ISSUER, server.config.JWT_AUDIENCE);
  }

  /**
   * Another instance of the gateway on the kit's database, as a second replica would run: the kit's
   * environment with `options.env` on top (a variable set to undefined is unset). Closed with the kit.
   * It runs no mail worker unless `options` asks for one, so the kit's server alone delivers the
   * e-mail a test reads.
   */
  async instance(options: Omit<StartOptions, "database"> = {}): Promise<TestServer> {
    const server = await startServer({
      mailWorker: false,
      ...options,
      env: { ...this.env, ...options.env },
      database: this.server.database,
    });
    this.instances.push(server);
    return server;
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance.close()));
    await this.server.close();
  }
}

export interface ForgeOptions {
  expiresIn?: string;
  aud?: string;
  iss?: string;
  /** The `kid` header to claim, e.g. a real token's, so that only the signature is wrong. */
  keyId?: string;
}

/** Tokens the gateway did not issue, for the 401 paths. */
export class Tokens {
  constructor(
    private readonly key: CryptoKey,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  /**
   * A token with the claims a test chooses, signed with the kit's key: valid only on a kit started
   * with `trustForgedTokens`, otherwise signed with a key the server has never seen.
   */
  forged(claims: Record<string, unknown> = {}, options: ForgeOptions = {}): Promise<string> {
    return (
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", ...(options.keyId ? { kid: options.keyId } : {}) })
        .setIssuer(options.iss ?? this.issuer)
        .setAudience(options.aud ?? this.audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "5m")
        // The gateway mints every token with a jti and refuses one without.
        .setJti(randomUUID())
        .sign(this.key)
    );
  }

  /** A real token with its signature changed, so only the signature check can refuse it. */
  tampered(token: string): string {
    return token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
  }
}

export interface CustomerUser extends Member {
  customerNumber: string;
  /** An access token of the organization that holds only the Customer role. */
  token: string;
}

/** A seeded organization and what can be added to it, each as its admin would. */
export class Organization implements SeededOrganization {
  readonly organizationId: string;
  readonly identityOrganizationId: string;
  readonly name: string;
  readonly admin: SeededOrganization["admin"];
  readonly adminToken: string;

  constructor(
    private readonly kit: Seeding,
    seeded: SeededOrganization,
  ) {
    this.organizationId = seeded.organizationId;
    this.identityOrganizationId = seeded.identityOrganizationId;
    this.name = seeded.name;
    this.admin = seeded.admin;
    this.adminToken = seeded.adminToken;
  }

  /** A new account, from a sign-up of its own, that is a plain member here. */
  member(): Promise<Member> {
    return seedMember(this.kit.client, this);
  }

  /** Makes an existing account a plain member here. */
  addMember(member: Member): Promise<void> {
    return addMember(this.kit.client, this, member);
  }

  /** A customer record (PUT /api/customers), with any fields the test sets. */
  customer(fields: Record<string, unknown> = {}) {
    return seedCustomer(this.kit.client, this, fields);
  }

  associate(userId: string, customerNumber: string): Promise<void> {
    return associate(this.kit.client, this, userId, customerNumber);
  }

  /** A new member associated with a new customer, signed in with the Customer role only. */
  async customerUser(): Promise<CustomerUser> {
    const member = await this.member();
    const { customerNumber } = await this.customer();
    await this.associate(member.userId, customerNumber);
    return { ...member, customerNumber, token: await this.tokenFor(member.email) };
  }

  /** A sales rep added by the admin (PUT /api/organizations/salesreps); it is invited by e-mail. */
  salesRep(fields: Record<string, unknown> = {}) {
    return addRep(this.kit.client, this, fields);
  }

  /** Accepts a rep's `mails`-th invitation and returns its access token here. */
  repToken(email: string, mails = 1): Promise<string> {
    return repAccessToken(this.kit.client, this.kit.postmark, email, this, mails);
  }

  /** Signs an account in and enriches its token for this organization. */
  async tokenFor(email: string, customerNumber?: string): Promise<string> {
    return this.accessToken(await this.kit.identityToken(email), customerNumber);
  }

  /** Enriches an identity token for this organization (POST /api/auth/access), acting for `customerNumber` if given. */
  accessToken(identityToken: string, customerNumber?: string): Promise<string> {
    return accessToken(this.kit.client, identityToken, this.identityOrganizationId, customerNumber);
  }
}

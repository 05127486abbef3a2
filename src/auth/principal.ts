import { ForbiddenError, UnauthenticatedError } from "../errors.js";
import { isClientRole, type Role } from "./roles.js";
import type { AccessClaims, SessionClaims, VerifiedToken } from "./tokens.js";

export interface AccountRef {
  userId: string;
  email: string;
}

/** Whether the session of the token asked about has been signed out (or its password changed since). */
export interface SessionState {
  sessionRevoked: boolean;
}

/** Who acts: a person, or an organization's API client (a machine with no user profile). */
export type Actor = { kind: "user"; userId: string } | { kind: "client"; clientId: string };

/** What auth needs to know about accounts, answered by the features that own them. */
export interface AccountDirectory {
  /** The user, and whether the token's session still holds, in one statement. */
  findUser(userId: string, session: SessionClaims): Promise<(AccountRef & SessionState) | null>;
  /** Maps an external identity to a user by `sub`, else by e-mail (linking it on first use). */
  resolveExternal(subject: string, email: string | undefined): Promise<AccountRef | null>;
  /**
   * The roles the actor holds in the organization now (a user's membership, association and
   * active rep assignment; a client's granted roles), and whether it may still act for
   * `actingCustomer` (its own association, or a customer in its rep scope), and for a user's
   * token whether its session still holds, in one statement; null when the user is gone or the
   * client revoked.
   */
  currentRoles(
    actor: Actor,
    organizationId: string,
    actingCustomer?: string,
    session?: SessionClaims,
  ): Promise<HeldRoles | null>;
}

export interface HeldRoles extends SessionState {
  roles: Role[];
  /** True when no customer was asked about. */
  actingCustomerAllowed: boolean;
  /** The asked-about customer's credit hold now; undefined when none was asked about. */
  creditHold?: boolean;
}

const signedOut = () => new UnauthenticatedError("The bearer token's session has been signed out");

/** The organization grant of a user's access token. */
export interface UserGrant extends AccessClaims {
  actor: { kind: "user"; userId: string };
  /** Roles in the token that the user still holds: a removed role stops working at once. */
  roles: Role[];
}

/** The organization grant of an API client's token. */
export interface ClientGrant {
  actor: { kind: "client"; clientId: string };
  organizationId: string;
  /** Roles in the token the client still holds; a revoked client has none. */
  roles: Role[];
}

export type AccessGrant = UserGrant | ClientGrant;

const requiresUser = () => new ForbiddenError("This operation requires a user: an API client token cannot call it");

/**
 * The caller of one request. Checks are lazy and memoised, so public operations cost nothing and
 * each request looks up membership at most once.
 */
export class Principal {
  private identityResult?: Promise<AccountRef>;
  private accessResult?: Promise<AccessGrant>;

  constructor(
    private readonly token: VerifiedToken | null,
    private readonly tokenProblemText: string | null,
    private readonly directory: AccountDirectory,
  ) {}

  get tokenKind(): VerifiedToken["kind"] | null {
    return this.token?.kind ?? null;
  }

  /** The session and issue time of the gateway's own user tokens; null for other tokens. */
  get session(): SessionClaims | null {
    const token = this.token;
    return token?.kind === "identity" || token?.kind === "access"
      ? { sessionId: token.sessionId, issuedAt: token.issuedAt }
      : null;
  }

  /** Why the bearer token was refused, when one was sent and refused. */
  get tokenProblem(): string | null {
    return this.tokenProblemText;
  }

  /** The calling user, for any valid user token whose user still exists; 403 for an API client. */
  identity(): Promise<AccountRef> {
    this.identityResult ??= this.loadIdentity();
    return this.identityResult;
  }

  /** The organization grant of an access or client token, with the roles still held. */
  access(): Promise<AccessGrant> {
    this.accessResult ??= this.loadAccess();
    return this.accessResult;
  }

  /** The grant of a user's access token, for operations that need a person; 403 for an API client. */
  async userAccess(): Promise<UserGrant> {
    const grant = await this.access();
    if (grant.actor.kind !== "user") throw requiresUser();
    return grant as UserGrant;
  }

  /** Who acts, for records of who did what; an organization token is checked as access() does. */
  async actor(): Promise<Actor> {
    if (this.token?.kind === "access" || this.token?.kind === "client") return (await this.access()).actor;
    return { kind: "user", userId: (await this.identity()).userId };
  }

  /** The person behind an identity or access token; 403 for an API client. */
  async userId(): Promise<string> {
    const actor = await this.actor();
    if (actor.kind !== "user") throw requiresUser();
    return actor.userId;
  }

  /** The organization the caller acts in: every tenant query is scoped by it. */
  async organizationId(): Promise<string> {
    return (await this.access()).organizationId;
  }

  async requireRole(role: Role): Promise<AccessGrant> {
    const grant = await this.access();
    if (grant.actor.kind === "client" && !isClientRole(role)) throw requiresUser();
    if (!grant.roles.includes(role)) {
      throw new ForbiddenError(`This operation requires the ${role} role`);
    }
    return grant;
  }

  private async loadIdentity(): Promise<AccountRef> {
    const token = this.requireToken();
    if (token.kind === "client") throw requiresUser();
    if (token.kind === "external") {
      const account = await this.directory.resolveExternal(token.subject, token.email);
      if (!account) throw new UnauthenticatedError("No account matches the bearer token");
      return account;
    }
    const found = await this.directory.findUser(token.userId, token);
    if (!found) throw new UnauthenticatedError("No account matches the bearer token");
    if (found.sessionRevoked) throw signedOut();
    return { userId: found.userId, email: found.email };
  }

  private async loadAccess(): Promise<AccessGrant> {
    const token = this.requireToken();
    if (token.kind === "client") {
      const actor = { kind: "client", clientId: token.clientId } as const;
      const held = await this.directory.currentRoles(actor, token.organizationId);
      if (held === null) throw new UnauthenticatedError("The API client of the bearer token has been revoked");
      return { actor, organizationId: token.organizationId, roles: this.stillHeld(token.roles, held.roles) };
    }
    if (token.kind !== "access") {
      throw new ForbiddenError("An access token is required: call POST /api/auth/access first");
    }
    const actor = { kind: "user", userId: token.userId } as const;
    const held = await this.directory.currentRoles(actor, token.organizationId, token.customerNumber, token);
    if (held === null) throw new UnauthenticatedError("No account matches the bearer token");
    if (held.sessionRevoked) throw signedOut();
    const roles = this.stillHeld(token.roles, held.roles);
    // A rep's token for a customer that left its scope (or a reassigned customer) stops at once.
    if (!held.actingCustomerAllowed) {
      throw new ForbiddenError(`You may no longer act for customer ${token.customerNumber}`);
    }
    // The hold is read with the roles, so a hold the ERP sets applies from the next request on.
    return { ...token, actor, roles, creditHold: held.creditHold };
  }

  private stillHeld(claimed: Role[], held: Role[]): Role[] {
    const roles = claimed.filter((role) => held.includes(role));
    if (roles.length === 0) throw new ForbiddenError("Your access to this organization has been revoked");
    return roles;
  }

  private requireToken(): VerifiedToken {
    if (this.token) return this.token;
    throw new UnauthenticatedError(this.tokenProblemText ?? "A valid bearer token is required");
  }
}

import { ForbiddenError, UnauthenticatedError } from "../errors.js";
import type { Role } from "./roles.js";
import type { AccessClaims, VerifiedToken } from "./tokens.js";

export interface AccountRef {
  userId: string;
  email: string;
}

/** What auth needs to know about accounts, answered by the features that own them. */
export interface AccountDirectory {
  findUser(userId: string): Promise<AccountRef | null>;
  /** Maps an external identity to a user by `sub`, else by e-mail (linking it on first use). */
  resolveExternal(subject: string, email: string | undefined): Promise<AccountRef | null>;
  /**
   * The roles the user holds in the organization now (membership, association, active rep), and
   * whether it may still act for `actingCustomer` (its own association, or a customer in its rep
   * scope); null when the user is gone.
   */
  currentRoles(userId: string, organizationId: string, actingCustomer?: string): Promise<HeldRoles | null>;
}

export interface HeldRoles {
  roles: Role[];
  /** True when no customer was asked about. */
  actingCustomerAllowed: boolean;
}

export interface AccessGrant extends AccessClaims {
  /** Roles in the token that the user still holds: a removed role stops working at once. */
  roles: Role[];
}

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

  /** Why the bearer token was refused, when one was sent and refused. */
  get tokenProblem(): string | null {
    return this.tokenProblemText;
  }

  /** The calling user, for any valid token whose user still exists. */
  identity(): Promise<AccountRef> {
    this.identityResult ??= this.loadIdentity();
    return this.identityResult;
  }

  /** The organization grant of an access token, with the roles still held. */
  access(): Promise<AccessGrant> {
    this.accessResult ??= this.loadAccess();
    return this.accessResult;
  }

  /** The organization the caller acts in: every tenant query is scoped by it. */
  async organizationId(): Promise<string> {
    return (await this.access()).organizationId;
  }

  async requireRole(role: Role): Promise<AccessGrant> {
    const grant = await this.access();
    if (!grant.roles.includes(role)) {
      throw new ForbiddenError(`This operation requires the ${role} role`);
    }
    return grant;
  }

  private async loadIdentity(): Promise<AccountRef> {
    const token = this.requireToken();
    const account =
      token.kind === "external"
        ? await this.directory.resolveExternal(token.subject, token.email)
        : await this.directory.findUser(token.userId);
    if (!account) throw new UnauthenticatedError("No account matches the bearer token");
    return account;
  }

  private async loadAccess(): Promise<AccessGrant> {
    const token = this.requireToken();
    if (token.kind !== "access") {
      throw new ForbiddenError("An access token is required: call POST /api/auth/access first");
    }
    const held = await this.directory.currentRoles(token.userId, token.organizationId, token.customerNumber);
    if (held === null) throw new UnauthenticatedError("No account matches the bearer token");
    const roles = token.roles.filter((role) => held.roles.includes(role));
    if (roles.length === 0) {
      throw new ForbiddenError("Your access to this organization has been revoked");
    }
    // A rep's token for a customer that left its scope (or a reassigned customer) stops at once.
    if (!held.actingCustomerAllowed) {
      throw new ForbiddenError(`You may no longer act for customer ${token.customerNumber}`);
    }
    return { ...token, roles };
  }

  private requireToken(): VerifiedToken {
    if (this.token) return this.token;
    throw new UnauthenticatedError(this.tokenProblemText ?? "A valid bearer token is required");
  }
}

import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import { Principal, type AccountDirectory } from "./auth/principal.js";
import { InvalidTokenError, type TokenService, type VerifiedToken } from "./auth/tokens.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import type { RateLimiter } from "./rate-limit/rate-limiter.js";
import { rateReportOf, type RateReport } from "./rate-limit/rate-report.js";
import type DataLoader from "dataloader";

/** Resolves a host name to its addresses (the system resolver unless the app is given another). */
export type HostResolver = (hostname: string) => Promise<string[]>;

/** Long-lived parts every request shares; built once by the app. */
export interface AppServices {
  db: Database;
  config: Config;
  tokens: TokenService;
  directory: AccountDirectory;
  limiter: RateLimiter;
  /** How outgoing calls (webhook deliveries) resolve host names. */
  resolveHost: HostResolver;
  log: FastifyBaseLogger;
}

/** The ctx every resolver and service method takes first. */
export interface RequestContext extends AppServices {
  auth: Principal;
  loaders: Loaders;
  /** Client IP: the socket's, or the forwarded one when a trusted proxy is configured. */
  ip: string;
  /** Fastify's id of the request, for correlating audit events with logs. */
  requestId: string;
  /** The quotas the request was counted against, answered as RateLimit headers. */
  rates: RateReport;
}

export interface ContextOptions {
  /** Header names that may carry the bearer token, in order; `authorization` by default. */
  tokenHeaders?: readonly string[];
}

export async function createContext(
  services: AppServices,
  request: FastifyRequest,
  options: ContextOptions = {},
): Promise<RequestContext> {
  const { token, problem } = await readBearer(services.tokens, request, options.tokenHeaders ?? ["authorization"]);
  const ctx: RequestContext = {
    ...services,
    log: request.log,
    auth: new Principal(token, problem, services.directory),
    loaders: new Loaders(() => ctx),
    ip: request.ip,
    requestId: request.id,
    rates: rateReportOf(request),
  };
  return ctx;
}

async function readBearer(
  tokens: TokenService,
  request: FastifyRequest,
  headers: readonly string[],
): Promise<{ token: VerifiedToken | null; problem: string | null }> {
  for (const name of headers) {
    const value = request.headers[name];
    if (typeof value !== "string" || !value.trim()) continue;
    // Authorization must name the Bearer scheme; the create-sales-rep accessToken header may be bare.
    const bearer =
      /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1] ??
      (name === "authorization" ? undefined : /^\S+$/.exec(value.trim())?.[0]);
    if (!bearer) return { token: null, problem: `The ${name} header must be 'Bearer <token>'` };
    try {
      return { token: await tokens.verify(bearer), problem: null };
    } catch (error) {
      if (error instanceof InvalidTokenError) return { token: null, problem: error.message };
      throw error;
    }
  }
  return { token: null, problem: null };
}

export type LoaderFactory<K, V> = (ctx: RequestContext) => DataLoader<K, V>;

/** Per-request DataLoaders, created on first use; a factory is its own key. */
export class Loaders {
  private readonly made = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown>>();

  constructor(private readonly ctx: () => RequestContext) {}

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let loader = this.made.get(factory as LoaderFactory<unknown, unknown>);
    if (!loader) {
      loader = factory(this.ctx()) as DataLoader<unknown, unknown>;
      this.made.set(factory as LoaderFactory<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../../auth/roles.js";
import type { AppServices } from "../../context.js";
import { authenticateClient } from "./api-clients.service.js";

// unauthorized_client has no use: every active client may use the one grant type offered.
// temporarily_unavailable is RFC 6749's code for "try again later" (§4.1.2.1), answered with 429.
type OAuthErrorCode =
  "invalid_request" | "invalid_client" | "unsupported_grant_type" | "invalid_scope" | "temporarily_unavailable";

/** An RFC 6749 §5.2 error answer. */
class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    /** invalid_client after HTTP Basic: 401 with a WWW-Authenticate challenge (§5.2). */
    readonly basicChallenge = false,
    readonly retryAfter = 0,
  ) {
    super(message);
  }
}

const failureWindowSeconds = 15 * 60;

interface Credentials {
  clientId: string;
  clientSecret: string;
  basic: boolean;
}

const formType = "application/x-www-form-urlencoded";

/**
 * POST /oauth/token: the client-credentials grant (RFC 6749 §4.4). A plain route, not a REST
 * compatibility route: OAuth fixes its own request and error formats. Form bodies are parsed in
 * this scope only, so no other route starts accepting them.
 */
export function registerOAuthTokenRoute(app: FastifyInstance, services: AppServices): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(formType, { parseAs: "string" }, (_request, body, done) =>
      done(null, new URLSearchParams(body as string)),
    );
    scope.post("/oauth/token", { config: { accepts: [formType] } }, async (request, reply) => {
      // Tokens and errors alike must not be cached (§5.1).
      reply.header("cache-control", "no-store").header("pragma", "no-cache");
      try {
        return await exchange(services, request);
      } catch (error) {
        if (error instanceof OAuthError) return sendOAuthError(reply, error);
        throw error;
      }
    });
  });
}

async function exchange(services: AppServices, request: FastifyRequest) {
  if (!(request.body instanceof URLSearchParams)) {
    throw new OAuthError("invalid_request", `The request body must be ${formType}`);
  }
  const form = request.body;
  const grantType = single(form, "grant_type");
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
  if (grantType !== "client_credentials") {
    throw new OAuthError("unsupported_grant_type", "Only the client_credentials grant is supported");
  }
  const credentials = credentialsOf(request.headers.authorization, form);
  const counted = await countAuthentication(services, request.ip, credentials.clientId);
  const client = await authenticateClient(services.db, credentials.clientId, credentials.clientSecret);
  if (!client) throw new OAuthError("invalid_client", "Client authentication failed", credentials.basic);
  await Promise.all(counted.map((key) => services.limiter.forgive(key)));
  const roles = grantedRoles(single(form, "scope"), client.roles);
  const token = await services.tokens.issueClient({
    clientId: client.id,
    organizationId: client.organizationId,
    roles,
  });
  return {
    access_token: token.accessToken,
    token_type: token.tokenType,
    expires_in: token.expiresIn,
    scope: roles.join(" "),
  };
}

/**
 * Counts an authentication against its client IP and its client_id before the secret is checked,
 * so parallel guesses cannot all slip under the limits; a success takes its count back, which
 * leaves only failures counted. Once over either limit even the right secret waits for the window,
 * so the answer tells a guesser nothing. The client_id is hashed: it is the caller's text.
 */
async function countAuthentication(services: AppServices, ip: string, clientId: string): Promise<string[]> {
  const { config, limiter } = services;
  const keys = [
    { key: `oauthFailures:ip:${ip}`, limit: config.OAUTH_FAILURE_LIMIT_PER_IP },
    {
      key: `oauthFailures:client:${createHash("sha256").update(clientId).digest("hex")}`,
      limit: config.OAUTH_FAILURE_LIMIT_PER_CLIENT,
    },
  ];
  const decisions = await Promise.all(keys.map(({ key, limit }) => limiter.hit(key, limit, failureWindowSeconds)));
  const retryAfter = Math.max(...decisions.map((decision) => decision.retryAfter));
  if (decisions.some((decision) => !decision.allowed)) {
    throw new OAuthError(
      "temporarily_unavailable",
      `Too many failed client authentications; try again in ${retryAfter} seconds`,
      false,
      retryAfter,
    );
  }
  return keys.map(({ key }) => key);
}

/** A parameter given at most once (§3.2: repeated parameters are an invalid request). */
function single(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) throw new OAuthError("invalid_request", `${name} is given more than once`);
  return values[0];
}

/** HTTP Basic (§2.3.1, each part form-url-encoded) or client_id and client_secret in the body; never both. */
function credentialsOf(authorization: string | undefined, form: URLSearchParams): Credentials {
  const bodyId = single(form, "client_id");
  const bodySecret = single(form, "client_secret");
  if (authorization) {
    const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization)?.[1];
    if (!encoded) throw new OAuthError("invalid_request", "The Authorization header must use the Basic scheme");
    if (bodyId !== undefined || bodySecret !== undefined) {
      throw new OAuthError("invalid_request", "Use HTTP Basic or client_id and client_secret in the body, not both");
    }
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const [clientId, clientSecret] =
      colon < 0 ? [undefined, undefined] : [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
    if (!clientId || !clientSecret) {
      throw new OAuthError("invalid_client", "The Basic credentials must be client_id:client_secret", true);
    }
    return { clientId, clientSecret, basic: true };
  }
  if (!bodyId || !bodySecret) {
    throw new OAuthError(
      "invalid_client",
      "Client authentication is required: HTTP Basic, or client_id and client_secret",
    );
  }
  return { clientId: bodyId, clientSecret: bodySecret, basic: false };
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

/** The requested scope (space-separated roles), which must be a subset of the client's; default all of them. */
function grantedRoles(scope: string | undefined, held: Role[]): Role[] {
  const requested = scope?.split(" ").filter(Boolean) ?? [];
  if (requested.length === 0) return held;
  const unknown = requested.filter((role) => !(held as string[]).includes(role));
  if (unknown.length > 0) {
    throw new OAuthError(
      "invalid_scope",
      `Not granted to this client: ${unknown.join(" ")}; it may ask for ${held.join(" ")}`,
    );
  }
  return held.filter((role) => requested.includes(role));
}

function sendOAuthError(reply: FastifyReply, error: OAuthError) {
  const status = error.code === "invalid_client" ? 401 : error.code === "temporarily_unavailable" ? 429 : 400;
  if (error.retryAfter > 0) reply.header("retry-after", String(error.retryAfter));
  if (error.basicChallenge) reply.header("www-authenticate", 'Basic realm="oauth", charset="UTF-8"');
  return reply.status(status).send({ error: error.code, error_description: error.message });
}

import type { FastifyServerOptions } from "fastify";

/** `john.doe@example.com` → `j***@example.com`: enough to tell recipients apart, not to read them. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return "***";
  return `${address[0]}***${address.slice(at)}`;
}

/**
 * A URL with every query value masked: query strings carry e-mail addresses (`/api/users/exists`)
 * and invitation tokens (`/accept-invitation`), and access logs outlive both.
 */
export function maskQuery(url: string): string {
  const question = url.indexOf("?");
  if (question < 0) return url;
  const masked = url
    .slice(question + 1)
    .split("&")
    .map((pair) => (pair.includes("=") ? `${pair.slice(0, pair.indexOf("="))}=***` : pair));
  return `${url.slice(0, question)}?${masked.join("&")}`;
}

/** Keys whose values never reach a log line, wherever a log call puts them (mail bodies hold links). */
const redactedKeys = [
  "authorization",
  "accesstoken",
  "accessToken",
  "AccessToken",
  "cookie",
  "password",
  "Password",
  "token",
  "Token",
  "email",
  "Email",
  "text",
  "html",
];
const redactedHeaders = ["authorization", "accesstoken", "cookie"];

/**
 * Whether log lines are printed for a person (pino-pretty) rather than as JSON: as LOG_FORMAT says,
 * else in development on a terminal (`npm run dev`). Production is JSON; the config refuses pretty there.
 */
export function prettyLogs(
  config: { LOG_FORMAT?: "json" | "pretty"; NODE_ENV: string },
  isTerminal = process.stdout.isTTY === true,
): boolean {
  if (config.LOG_FORMAT) return config.LOG_FORMAT === "pretty";
  return config.NODE_ENV === "development" && isTerminal;
}

/** Pino options shared by main and the tests: secrets redacted, request URLs masked. */
export function loggerOptions(
  level: string,
  stream?: NodeJS.WritableStream,
  pretty = false,
): FastifyServerOptions["logger"] {
  return {
    level,
    ...(stream ? { stream } : {}),
    // A worker thread of pino's own formats the lines; redaction happens before, as for JSON.
    ...(pretty && !stream
      ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } }
      : {}),
    redact: {
      paths: [
        ...redactedKeys,
        ...redactedKeys.map((key) => `*.${key}`),
        ...redactedKeys.map((key) => `*.*.${key}`),
        ...redactedHeaders.map((header) => `req.headers.${header}`),
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: maskQuery(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

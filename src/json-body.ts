import type { FastifyInstance } from "fastify";
import { maxTextLength } from "./storable-text.js";

/** Deepest JSON body accepted; a GraphQL request with a 32-level JSON scalar value needs about 40. */
export const maxJsonBodyDepth = 64;

/** An HTTP 400 for Fastify's error handler, which shows 4xx messages as they are. */
class JsonBodyError extends Error {
  readonly statusCode = 400;
}

/** What one pass over a JSON text found, before it is parsed. */
export interface JsonScan {
  /** How deep it nests. */
  depth: number;
  /**
   * True when no string in it can be unstorable (storable-text.ts): the text is no longer than the
   * longest string allowed, so no string or list in it passes the bounds, and no escape in it
   * writes U+0000 or a surrogate, neither JSON's (`\u0000`) nor a GraphQL literal's inside a
   * JSON string (`\\u…`, which is reported whatever follows). False says only "look closer".
   */
  storable: boolean;
}

const hexDigits = (text: string, from: number) => Number.parseInt(text.slice(from, from + 4), 16);

/**
 * How deep a JSON text nests and whether its text is surely storable, counted in one pass without
 * parsing. Measured before JSON.parse so that no code after it (binding, GraphQL coercion, the
 * database driver) walks a value deep enough to overflow the stack, and so that most requests
 * need no second walk for unstorable text.
 */
export function scanJson(text: string): JsonScan {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let storable = text.length <= maxTextLength;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) {
        const escaped = text.charCodeAt(++index);
        if (escaped === 0x75) {
          const code = hexDigits(text, index + 1);
          if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) storable = false;
        } else if (escaped === 0x5c && text.charCodeAt(index + 1) === 0x75) storable = false;
      } else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return { depth: deepest, storable };
}

/** The `variables` of GraphQL request bodies whose scan found their text surely storable. */
const storableVariables = new WeakSet<object>();

/**
 * Whether a GraphQL request's variables came in a JSON body whose scan found every string
 * storable (scanJson), so that they need no walk of their own.
 */
export function scannedStorable(variables: unknown): boolean {
  return typeof variables === "object" && variables !== null && storableVariables.has(variables);
}

/**
 * Replaces Fastify's JSON body parser with the same parser (prototype and constructor poisoning
 * refused) behind a nesting limit, noting the GraphQL variables its scan found storable.
 */
export function limitJsonBodyDepth(app: FastifyInstance, maxDepth = maxJsonBodyDepth): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const scan = scanJson(body as string);
    if (scan.depth > maxDepth) {
      done(
        new JsonBodyError(`The JSON body nests ${scan.depth} levels deep; at most ${maxDepth} are allowed`),
        undefined,
      );
      return;
    }
    parse(request, body as string, (error, parsed) => {
      const variables = (parsed as { variables?: unknown } | undefined)?.variables;
      if (scan.storable && typeof variables === "object" && variables !== null) storableVariables.add(variables);
      done(error, parsed);
    });
  });
}

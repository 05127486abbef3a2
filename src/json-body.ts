import type { FastifyInstance } from "fastify";

/** Deepest JSON body accepted; a GraphQL request with a 32-level JSON scalar value needs about 40. */
export const maxJsonBodyDepth = 64;

/** An HTTP 400 for Fastify's error handler, which shows 4xx messages as they are. */
class JsonBodyError extends Error {
  readonly statusCode = 400;
}

/**
 * How deep a JSON text nests, counted in one pass without parsing. Measured before JSON.parse so
 * that no code after it (binding, GraphQL coercion, the database driver) walks a value deep enough
 * to overflow the stack.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

/**
 * Replaces Fastify's JSON body parser with the same parser (prototype and constructor poisoning
 * refused) behind a nesting limit.
 */
export function limitJsonBodyDepth(app: FastifyInstance, maxDepth = maxJsonBodyDepth): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const depth = jsonDepth(body as string);
    if (depth > maxDepth) {
      done(new JsonBodyError(`The JSON body nests ${depth} levels deep; at most ${maxDepth} are allowed`), undefined);
      return;
    }
    parse(request, body as string, done);
  });
}

/**
 * Text PostgreSQL cannot store: it refuses U+0000 in `text` and `jsonb`, and a lone UTF-16
 * surrogate has no UTF-8 encoding. Either would fail deep in a query as a 500, so the edges
 * (REST binding, GraphQL variables) refuse it first, naming the field. The same walk refuses text
 * and lists beyond the bounds below, before any field rule reads them.
 */

/**
 * The longest string and the longest list a request may carry anywhere in it, refused at the same
 * edges and stated on every string and array of the OpenAPI document. Field rules are tighter (a
 * URL's 2048 characters, a batch's 1000 customers); these bound what reaches them.
 */
export const maxTextLength = 10_000;
export const maxListLength = 5_000;

const lonelySurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const listProblem = `must have at most ${maxListLength} items`;

/** Why a string cannot be stored, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain the NUL character (U+0000)";
  if (lonelySurrogate.test(text)) return "must be valid Unicode (it contains a lone surrogate)";
  if (text.length > maxTextLength) return `must be at most ${maxTextLength} characters`;
  return undefined;
}

export interface UnstorableText {
  /** Where it is: `user.email`, `filters[0].value`; for a bad key, the key's own path. */
  path: string;
  problem: string;
}

/** The first unstorable string, key or value, anywhere in a request value; iterative, so any depth is safe. */
export function findUnstorableText(value: unknown, path = ""): UnstorableText | undefined {
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [node, at] = pending.pop()!;
    if (typeof node === "string") {
      const problem = textProblem(node);
      if (problem) return { path: at, problem };
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    const isList = Array.isArray(node);
    if (isList && node.length > maxListLength) return { path: at || "body", problem: listProblem };
    for (const [key, child] of Object.entries(node)) {
      const childPath = isList ? `${at}[${key}]` : at ? `${at}.${key}` : key;
      const keyProblem = isList ? undefined : textProblem(key);
      if (keyProblem) return { path: at || "body", problem: `has a key that ${keyProblem}` };
      pending.push([child, childPath]);
    }
  }
  return undefined;
}

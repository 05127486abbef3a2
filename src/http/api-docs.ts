import type { FastifyInstance } from "fastify";

/**
 * The generated OpenAPI document at `GET /openapi.json` and at `GET /docs/json`, where the Swagger
 * UI page (web/docs.html, served with its files by src/http/pages.ts) reads it.
 *
 * The document is built when first asked for, not at start-up, which it would lengthen for every
 * instance while few ever serve it; `test/openapi.test.ts` builds and checks it on every run, so a
 * route it cannot describe still fails before a release.
 */
export function registerApiDocs(app: FastifyInstance, build: () => Record<string, unknown>): void {
  let document: Record<string, unknown> | undefined;
  const built = async () => (document ??= build());
  app.get("/openapi.json", built);
  app.get("/docs/json", built);
}

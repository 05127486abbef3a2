import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/**
 * `GET /openapi.json` and Swagger UI at `/docs`, both fed the generated document; Swagger UI's
 * files come from the swagger-ui-dist package, so the page loads nothing from elsewhere.
 *
 * The document is built when first asked for, not at start-up, which it would lengthen for every
 * instance while few ever serve it; `test/openapi.test.ts` builds and checks it on every run, so a
 * route it cannot describe still fails before a release.
 */
export async function registerApiDocs(app: FastifyInstance, build: () => Record<string, unknown>): Promise<void> {
  // Swagger's static mode serves the object it is given as it is then: it is filled in place.
  const document: Record<string, unknown> = {};
  const built = () => {
    if (Object.keys(document).length === 0) Object.assign(document, build());
    return document;
  };
  await app.register(async (docs) => {
    // Only this context's routes (the document and Swagger UI) pass this hook.
    docs.addHook("onRequest", async () => {
      built();
    });
    await docs.register(swagger, {
      mode: "static",
      specification: { document: document as never },
    });
    await docs.register(swaggerUi, {
      routePrefix: "/docs",
      // Swagger UI would otherwise send the document to validator.swagger.io for a badge.
      uiConfig: { validatorUrl: null, deepLinking: true },
    });
    docs.get("/openapi.json", async () => built());
  });
}

import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/**
 * `GET /openapi.json` and Swagger UI at `/docs`, both fed the generated document; Swagger UI's
 * files come from the swagger-ui-dist package, so the page loads nothing from elsewhere.
 */
export async function registerApiDocs(app: FastifyInstance, document: Record<string, unknown>): Promise<void> {
  await app.register(swagger, {
    mode: "static",
    specification: { document: document as never },
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    // Swagger UI would otherwise send the document to validator.swagger.io for a badge.
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
  app.get("/openapi.json", async () => document);
}

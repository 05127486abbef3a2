import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../package-root.js";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const webDir = fileURLToPath(new URL("web/", packageRoot));

/** Browser assets from npm packages, served from here so the IDE and /docs need no CDN. */
const vendor = [
  { prefix: "/vendor/graphiql/", root: packageDir("graphiql"), files: ["graphiql.min.js", "graphiql.min.css"] },
  { prefix: "/vendor/react/", root: `${packageDir("react")}/umd`, files: ["react.production.min.js"] },
  { prefix: "/vendor/react-dom/", root: `${packageDir("react-dom")}/umd`, files: ["react-dom.production.min.js"] },
  {
    prefix: "/docs/static/",
    root: packageDir("swagger-ui-dist"),
    files: ["swagger-ui-bundle.js", "swagger-ui.css", "index.css", "favicon-32x32.png", "favicon-16x16.png"],
  },
];

const pages: Record<string, string> = {
  "/": "index.html",
  "/sign-in": "sign-in.html",
  "/accept-invitation": "accept-invitation.html",
  "/leave-organization": "leave-organization.html",
  "/reset-password": "reset-password.html",
  // Each problem's `type` links to a section here (src/rest/problem.ts).
  "/problems": "problems.html",
  // Swagger UI on the OpenAPI document (src/http/api-docs.ts serves it).
  "/docs": "docs.html",
  "/docs/": "docs.html",
};

const wantsHtml = (accept: string | undefined) => accept?.includes("text/html") ?? false;

/**
 * The browser side: a start page, the sign-in, accept-invitation, leave and reset-password pages e-mail links open,
 * GraphiQL at GET /graphql for browsers and Swagger UI at /docs (scripts as files, so the CSP needs no inline script).
 */
export async function registerPages(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: webDir, prefix: "/assets/", index: false, serve: true });
  for (const { prefix, root, files } of vendor) {
    await app.register(fastifyStatic, {
      root,
      prefix,
      decorateReply: false,
      index: false,
      allowedPath: (path) => files.includes(path.replace(/^\//, "")),
      maxAge: "1d",
    });
  }
  for (const [url, file] of Object.entries(pages)) {
    app.get(url, (_request, reply) => reply.sendFile(file));
  }
  // Apollo answers GET /graphql for API calls (`?query=`); a browser opening the URL gets the IDE.
  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "GET" || !wantsHtml(request.headers.accept)) return;
    const [path, search = ""] = request.url.split("?");
    if (path !== "/graphql" || new URLSearchParams(search).has("query")) return;
    return reply.sendFile("graphiql.html");
  });
}

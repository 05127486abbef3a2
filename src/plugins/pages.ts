import type { FastifyInstance } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { Database } from "../db/client.js";
import { registerDevMail } from "../mail/dev-mail.js";
import { registerPages } from "../http/pages.js";

export interface PagesOptions {
  db: Database;
  /** `/dev/mail`, the outbox as a page (DEV_MAIL; never in production). */
  devMail: boolean;
}

/**
 * The browser pages, GraphiQL and the local mail view. On the root instance (fastify-plugin) and
 * registered before the GraphQL plugin: its onRequest hook answers browsers opening /graphql.
 */
export const pagesPlugin = fastifyPlugin(
  async (app: FastifyInstance, { db, devMail }: PagesOptions) => {
    await registerPages(app);
    if (devMail) registerDevMail(app, db);
  },
  { name: "pages" },
);

import { desc } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Database } from "../db/client.js";
import { mailOutbox } from "./outbox.tables.js";
import { linksIn } from "./worker.js";

const shown = 50;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The text body with its links clickable; everything else escaped. */
function linkedText(text: string): string {
  let html = escapeHtml(text);
  for (const link of new Set(linksIn(text).map(escapeHtml))) {
    html = html.split(link).join(`<a href="${link}">${link}</a>`);
  }
  return html;
}

/**
 * GET /dev/mail (DEV_MAIL, development only): the newest messages of the outbox, links and all, as a
 * local mail catcher would show them. Without a mail provider the invitation links are otherwise only
 * in the embedded database, which the running server holds locked.
 */
export function registerDevMail(app: FastifyInstance, db: Database): void {
  app.get("/dev/mail", async (_request, reply) => {
    const rows = await db
      .select({
        toAddress: mailOutbox.toAddress,
        subject: mailOutbox.subject,
        template: mailOutbox.template,
        status: mailOutbox.status,
        textBody: mailOutbox.textBody,
        createdAt: mailOutbox.createdAt,
      })
      .from(mailOutbox)
      .orderBy(desc(mailOutbox.createdAt))
      .limit(shown);
    const items = rows.map(
      (row) => `<article>
  <h2>${escapeHtml(row.subject)}</h2>
  <p>To <strong>${escapeHtml(row.toAddress)}</strong> · ${row.createdAt.toISOString()} · ${escapeHtml(row.template)} · ${row.status}</p>
  <pre>${linkedText(row.textBody)}</pre>
</article>`,
    );
    reply.header("cache-control", "no-store").type("text/html; charset=utf-8");
    return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><title>Mail · B2B account gateway (development)</title><link rel="icon" href="data:," /><link rel="stylesheet" href="/assets/pages.css" /></head>
<body><main>
<h1>Mail outbox</h1>
<p>Development only (DEV_MAIL): the newest ${shown} messages the server wrote, sent or not. Reload for new ones.</p>
${items.length ? items.join("\n") : "<p>No e-mail yet.</p>"}
</main></body>
</html>`;
  });
}

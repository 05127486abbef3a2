import { PGlite } from "@electric-sql/pglite";
import { openDatabase } from "../src/db/client.js";
import { pgliteTemplateFile, writePgliteTemplate } from "../src/db/pglite-template.js";

// Part of `npm run build`: migrates a throw-away PGlite and keeps its data directory as the template.
const client = await PGlite.create("memory://");
await (await openDatabase({ dataDir: "memory://", pglite: client })).migrate();
await writePgliteTemplate(client);
await client.close();
console.log(`${pgliteTemplateFile} written`);

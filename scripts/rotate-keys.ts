import { rotateSigningKey, rotationTiming } from "../src/auth/key-store.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";

/**
 * `npm run keys:rotate`: a new signing key for every instance on the configured database. It is
 * published at once and signs after two JWT_KEY_REFRESH_SECONDS, when every instance has read it;
 * tokens of the old key verify until the grace period after that ends.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.JWT_PRIVATE_KEY) {
    throw new ConfigError("JWT_PRIVATE_KEY is set: the configured key is rotated by changing it, not by this command");
  }
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1 });
  try {
    await database.migrate();
    const rotation = await rotateSigningKey(database.db, rotationTiming(config));
    console.log(
      JSON.stringify({ signingKid: rotation.kid, retired: rotation.retired, deleted: rotation.deleted }, null, 2),
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

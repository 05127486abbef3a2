import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/features/*/*.tables.ts", "./src/auth/*.tables.ts", "./src/mail/*.tables.ts"],
  out: "./drizzle",
});

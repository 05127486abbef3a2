import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "build/", "node_modules/", "drizzle/", "data/", "coverage/", "examples/typed-client/gql/", "examples/rest-client/api.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["error", "log"] }],
    },
  },
  {
    // The pages' scripts: classic browser scripts sharing web/api.js and the vendor globals.
    files: ["web/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: Object.fromEntries(
        [
          "window",
          "document",
          "location",
          "history",
          "localStorage",
          "fetch",
          "navigator",
          "URLSearchParams",
          "TextDecoder",
          "atob",
          "React",
          "ReactDOM",
          "GraphiQL",
          "SwaggerUIBundle",
          "callApi",
          "showError",
        ].map((name) => [name, "readonly"]),
      ),
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

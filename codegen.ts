import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Generates the typed documents of examples/typed-client from the committed schema, as a front end
 * with the graphql-codegen client preset would. The output is not committed: `npm run
 * example:typed` regenerates it, so a schema change that breaks typed clients fails there.
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["examples/typed-client/**/*.ts", "!examples/typed-client/gql/**"],
  generates: {
    "examples/typed-client/gql/": {
      preset: "client",
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        strictScalars: true,
        scalars: {
          DateTimeISO: "string",
          JSON: "unknown",
          JSONObject: "Record<string, unknown>",
        },
      },
    },
  },
};

export default config;

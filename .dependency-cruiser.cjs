/**
 * The layering the code keeps (checked by test/unit/architecture.test.ts):
 * HTTP edges (rest/, the Apollo wiring) → schema and rules → services → tables.
 */
const featureEdge = "^src/features/([^/]+/(resolvers/|index\\.ts$|[^/]+\\.(routes|rules)\\.ts$)|(index|feature)\\.ts$)";
const featureSchema = "^src/features/[^/]+/[^/]+\\.types\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle means two modules own one concept between them.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "foundations-stay-transport-free",
      severity: "error",
      comment: "auth/, db/, mail/ and rate-limit/ serve every transport and know none.",
      from: { path: "^src/(auth|db|mail|rate-limit)/" },
      to: { path: "^src/(graphql|rest|features)/" },
    },
    {
      name: "core-stays-transport-free",
      severity: "error",
      comment: "Errors, context, validation and pagination are shared by services: no transport in them.",
      from: { path: "^src/(errors|context|loaders|validation|pagination|config)\\.ts$" },
      to: { path: "^src/(graphql|rest|features)/" },
    },
    {
      name: "services-do-not-reach-up",
      severity: "error",
      comment: "Services and tables never import resolvers, routes, rules or the transports.",
      from: { path: "^src/features/", pathNot: [featureEdge, featureSchema] },
      to: { path: ["^src/(graphql|rest)/", featureEdge] },
    },
    {
      name: "services-read-schema-types-as-types-only",
      severity: "error",
      comment: "A service may name a GraphQL input class as a type; it never loads the schema.",
      from: { path: "^src/features/", pathNot: [featureEdge, featureSchema] },
      to: { path: featureSchema, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "schema-does-not-reach-the-edge",
      severity: "error",
      from: { path: featureSchema },
      to: { path: ["^src/rest/", featureEdge] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};

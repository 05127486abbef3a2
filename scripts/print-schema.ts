import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { features } from "../src/features/index.js";
import { buildGatewaySchema, printGatewaySchema } from "../src/graphql/schema.js";

const { schema } = await buildGatewaySchema(features);
writeFileSync(new URL("../schema/schema.graphql", import.meta.url), printGatewaySchema(schema));
console.log("schema/schema.graphql written");

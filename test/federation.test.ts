import "reflect-metadata";
import { composeServices } from "@apollo/composition";
import { isObjectType, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../src/features/index.js";
import { buildGatewaySchema } from "../src/graphql/schema.js";
import { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims } from "./support/seed.js";

/** A second subgraph as another team would write it: orders of the gateway's customers. */
const ordersSubgraph = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Customer @key(fields: "id") {
    id: ID!
    orders: [Order!]!
  }

  type Order {
    id: ID!
    total: Float!
  }
`);

const entitiesQuery = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer { id companyName }
    ... on Organization { id name }
    ... on User { id email }
    ... on OrganizationSalesRep { id repNumber }
    ... on SalesRep { id email }
  }
}`;

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;

beforeAll(async () => {
  kit = await testKit({ mail: true, env: { FEDERATION: "true" } });
  client = kit.client;
  [acme, other] = await Promise.all([kit.organization(), kit.organization()]);
});
afterAll(() => kit?.close());

const entities = (representations: object[], token?: string) =>
  client.graphql(entitiesQuery, { representations }, token);

describe("the federated schema", () => {
  it("gives _service, _entities and every other root field a declared access", async () => {
    const { bare, access } = await buildGatewaySchema(features, { federation: true });
    const fields = Object.keys(bare.getQueryType()!.getFields());
    expect(fields).toEqual(expect.arrayContaining(["_service", "_entities"]));
    expect(fields.filter((field) => !(field in access.Query))).toEqual([]);
  });

  it("checks each entity type with the declarations of the root queries that read it, not a list of its own", async () => {
    const { access } = await buildGatewaySchema(features, { federation: true });
    const entities = features.flatMap((feature) => Object.entries(feature.entities ?? {}));
    expect(entities.map(([type]) => type).sort()).toEqual([
      "Customer",
      "Organization",
      "OrganizationSalesRep",
      "SalesRep",
      "User",
    ]);
    for (const [type, entity] of entities) {
      for (const field of entity.readAs) expect(access.Query[field], `${type} read as ${field}`).toBeDefined();
    }
  });

  it("keeps rules off object fields", async () => {
    const { schema, bare } = await buildGatewaySchema(features, { federation: true });
    const customer = schema.getType("Customer");
    const original = bare.getType("Customer");
    expect(isObjectType(customer) && isObjectType(original)).toBe(true);
    if (!isObjectType(customer) || !isObjectType(original)) return;
    expect(customer.getFields().pricing!.resolve).toBe(original.getFields().pricing!.resolve);
  });
});

describe("the subgraph SDL", () => {
  it("is served without a token and composes with another subgraph extending Customer", async () => {
    const { data, errors } = await client.graphql("{ _service { sdl } }");
    expect(errors).toBeUndefined();
    const sdl: string = data._service.sdl;
    for (const type of ["Customer", "Organization", "User", "OrganizationSalesRep", "SalesRep"]) {
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "id"\\)`));
    }

    const composed = composeServices([
      { name: "accounts", typeDefs: parse(sdl), url: kit.server.url },
      { name: "orders", typeDefs: ordersSubgraph, url: "http://orders.invalid/graphql" },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    const customer = composed.schema!.toAPISchema().toGraphQLJSSchema().getType("Customer");
    expect(isObjectType(customer) && Object.keys(customer.getFields())).toEqual(
      expect.arrayContaining(["companyName", "orders"]),
    );
  });

  it("is absent without FEDERATION, where the schema stays as committed", async () => {
    const plain = await kit.instance({ env: { FEDERATION: undefined } });
    const { codes } = await new Client(plain.url).graphql("{ _service { sdl } }");
    expect(codes).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });
});

describe("_entities", () => {
  it("resolves each keyed type of the caller's organization for an admin", async () => {
    const customer = await acme.customer();
    const rep = await acme.salesRep();
    const { data, errors } = await entities(
      [
        { __typename: "Customer", id: customer.id },
        { __typename: "Organization", id: acme.organizationId },
        { __typename: "User", id: acme.admin.userId },
        { __typename: "OrganizationSalesRep", id: rep.organizationSalesRepId },
        { __typename: "SalesRep", id: rep.salesRepId },
      ],
      acme.adminToken,
    );
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([
      { id: customer.id, companyName: customer.companyName },
      { id: acme.organizationId, name: acme.name },
      { id: acme.admin.userId, email: acme.admin.email },
      { id: rep.organizationSalesRepId, repNumber: rep.repNumber },
      { id: rep.salesRepId, email: rep.email },
    ]);
  });

  it("answers null for another organization's entities, as for ones that do not exist", async () => {
    const foreignCustomer = await other.customer();
    const foreignRep = await other.salesRep();
    const { data, errors } = await entities(
      [
        { __typename: "Customer", id: foreignCustomer.id },
        { __typename: "Organization", id: other.organizationId },
        { __typename: "User", id: other.admin.userId },
        { __typename: "OrganizationSalesRep", id: foreignRep.organizationSalesRepId },
        { __typename: "SalesRep", id: foreignRep.salesRepId },
        { __typename: "Customer", id: "no-such-customer" },
      ],
      acme.adminToken,
    );
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([null, null, null, null, null, null]);
  });

  it("refuses a caller without a token as UNAUTHENTICATED", async () => {
    const customer = await acme.customer();
    const { data, codes } = await entities([{ __typename: "Customer", id: customer.id }]);
    expect(codes).toEqual(["UNAUTHENTICATED"]);
    expect(data).toBeNull();
  });

  it("applies each type's role rule: a Customer-role caller gets its own User but no Customer", async () => {
    const { token } = await acme.customerUser();
    const customer = await acme.customer();
    const { data, errors } = await entities(
      [
        { __typename: "User", id: claims(token).UserId },
        { __typename: "User", id: acme.admin.userId },
        { __typename: "Customer", id: customer.id },
      ],
      token,
    );
    expect(data._entities[0]).toMatchObject({ id: claims(token).UserId });
    expect(data._entities.slice(1)).toEqual([null, null]);
    expect(errors?.map((error) => [error.extensions?.code, (error as { path?: unknown[] }).path])).toEqual([
      ["FORBIDDEN", ["_entities", 2]],
    ]);
  });

  it("gives a sales rep only its own customers, as the customer query does", async () => {
    const rep = await acme.salesRep();
    const token = await acme.repToken(rep.email);
    const own = await acme.customer({ repNumber: rep.repNumber });
    const notOwn = await acme.customer();
    const { data, errors } = await entities(
      [
        { __typename: "Customer", id: own.id },
        { __typename: "Customer", id: notOwn.id },
      ],
      token,
    );
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([{ id: own.id, companyName: own.companyName }, null]);
  });

  it("refuses a representation without a string id as bad input", async () => {
    const { codes } = await entities([{ __typename: "Customer", id: 42 }], acme.adminToken);
    expect(codes).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("REST routes on the federated schema", () => {
  it("answer as without federation", async () => {
    const customer = await acme.customer();
    const result = await client.get(`/api/customers/${customer.customerNumber}`, { token: acme.adminToken });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id: customer.id, customerNumber: customer.customerNumber });
  });
});

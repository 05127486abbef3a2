import { bareList, defineRoute, objectSchema, propertiesOf, successBody } from "../../rest/route.js";

const clientFields = "id name roles createdAt lastUsedAt";

/** Beside the other organization routes, in the organizations document's PascalCase. */
export const apiClientRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/organizations/api-clients",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation CreateApiClient($input: CreateApiClientInput!) {
      createApiClient(input: $input) { client { ${clientFields} } clientSecret }
    }`,
    respond: (data) => {
      const { client, clientSecret } = data.createApiClient as { client: object; clientSecret: string };
      return { body: { ...client, clientSecret }, headers: { "cache-control": "no-store" } };
    },
    responseSchema: (data) => {
      const { client, clientSecret } = propertiesOf(data.createApiClient);
      return objectSchema({ ...propertiesOf(client), clientSecret: clientSecret! });
    },
  }),
  defineRoute({
    method: "GET",
    path: "/api/organizations/api-clients",
    casing: "pascal",
    operation: `query ApiClients { apiClients { ${clientFields} } }`,
    respond: (data) => bareList(data.apiClients),
    responseSchema: (data) => data.apiClients!,
  }),
  defineRoute({
    method: "PUT",
    path: "/api/organizations/api-clients/roles",
    casing: "pascal",
    operation: `mutation SetApiClientRoles($id: String!, $roles: [String!]!) {
      setApiClientRoles(id: $id, roles: $roles) { ${clientFields} }
    }`,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/api-clients",
    casing: "pascal",
    operation: `mutation RevokeApiClient($id: String!) { revokeApiClient(id: $id) { id } }`,
    respond: successBody,
  }),
];

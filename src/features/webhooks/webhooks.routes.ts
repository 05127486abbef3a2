import { pageArguments, pageVariables } from "../../rest/list-arguments.js";
import { bareList, defineRoute, objectSchema, propertiesOf, successBody } from "../../rest/route.js";

const endpointFields = "id url eventTypes enabled disabledReason";

export const webhookRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/organizations/webhooks",
    casing: "pascal",
    operation: `query WebhookEndpoints { webhookEndpoints { ${endpointFields} } }`,
    respond: (data) => bareList(data.webhookEndpoints),
    responseSchema: (data) => data.webhookEndpoints!,
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/webhooks",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
      createWebhookEndpoint(input: $input) { endpoint { ${endpointFields} } secret }
    }`,
    respond: (data) => {
      const { endpoint, secret } = data.createWebhookEndpoint as Record<string, object>;
      return { status: 201, body: { ...endpoint, secret } };
    },
    responseSchema: (data) => {
      const { endpoint, secret } = propertiesOf(data.createWebhookEndpoint);
      return objectSchema({ ...propertiesOf(endpoint), secret: secret! });
    },
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/organizations/webhooks/:id",
    casing: "pascal",
    operation: `mutation UpdateWebhookEndpoint($id: ID!, $url: String, $eventTypes: [String!], $enabled: Boolean) {
      updateWebhookEndpoint(id: $id, input: { url: $url, eventTypes: $eventTypes, enabled: $enabled }) { ${endpointFields} }
    }`,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/webhooks/:id",
    casing: "pascal",
    operation: `mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) { deletedWebhookEndpointId } }`,
    respond: successBody,
  }),
  defineRoute({
    method: "GET",
    path: "/api/organizations/webhooks/:endpointId/deliveries",
    casing: "pascal",
    operation: `query WebhookDeliveries($endpointId: ID!, ${pageVariables("WebhookDeliverySortField")}) {
      webhookDeliveries(endpointId: $endpointId, ${pageArguments}) {
        items { id messageId eventType status attempts createdAt
          attemptLog { statusCode durationMs error responseBody attemptedAt } }
        totalCount pageNumber pageSize
      }
    }`,
    respond: (data) => {
      const { items, totalCount, pageNumber, pageSize } = data.webhookDeliveries as Record<string, unknown>;
      return { body: { data: items, totalCount, pageNumber, pageSize } };
    },
    responseSchema: (data) => {
      const { items, totalCount, pageNumber, pageSize } = propertiesOf(data.webhookDeliveries);
      return objectSchema({ data: items!, totalCount: totalCount!, pageNumber: pageNumber!, pageSize: pageSize! });
    },
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/webhooks/deliveries/:id/replay",
    casing: "pascal",
    operation: `mutation ReplayWebhookDelivery($id: ID!) { replayWebhookDelivery(id: $id) { id } }`,
    respond: successBody,
  }),
];

import type { Feature } from "../feature.js";
import { CreateWebhookEndpointResolver } from "./resolvers/create-webhook-endpoint.resolver.js";
import { DeleteWebhookEndpointResolver } from "./resolvers/delete-webhook-endpoint.resolver.js";
import { ReplayWebhookDeliveryResolver } from "./resolvers/replay-webhook-delivery.resolver.js";
import { UpdateWebhookEndpointResolver } from "./resolvers/update-webhook-endpoint.resolver.js";
import { WebhookDeliveriesResolver } from "./resolvers/webhook-deliveries.resolver.js";
import { WebhookEndpointsResolver } from "./resolvers/webhook-endpoints.resolver.js";
import { webhookRoutes } from "./webhooks.routes.js";
import { webhookAccess } from "./webhooks.rules.js";

export const webhooksFeature: Feature = {
  name: "webhooks",
  description: "Webhook endpoints and their deliveries",
  resolvers: [
    WebhookEndpointsResolver,
    CreateWebhookEndpointResolver,
    UpdateWebhookEndpointResolver,
    DeleteWebhookEndpointResolver,
    WebhookDeliveriesResolver,
    ReplayWebhookDeliveryResolver,
  ],
  access: webhookAccess,
  routes: webhookRoutes,
};

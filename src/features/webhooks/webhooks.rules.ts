import { isAdmin } from "../../graphql/rules.js";

export const webhookRules = {
  Query: {
    webhookEndpoints: isAdmin,
    webhookDeliveries: isAdmin,
  },
  Mutation: {
    createWebhookEndpoint: isAdmin,
    updateWebhookEndpoint: isAdmin,
    deleteWebhookEndpoint: isAdmin,
    replayWebhookDelivery: isAdmin,
  },
};

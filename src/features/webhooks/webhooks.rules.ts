import { requires, type AccessDeclarations } from "../../auth/access.js";

export const webhookAccess = {
  Query: {
    webhookEndpoints: requires("webhooks.manage"),
    webhookDeliveries: requires("webhooks.manage"),
  },
  Mutation: {
    createWebhookEndpoint: requires("webhooks.manage"),
    updateWebhookEndpoint: requires("webhooks.manage"),
    deleteWebhookEndpoint: requires("webhooks.manage"),
    replayWebhookDelivery: requires("webhooks.manage"),
  },
} satisfies AccessDeclarations;

import type { ListSpec } from "../../pagination.js";
import { webhookDeliveries } from "./webhooks.tables.js";

/** How an endpoint's deliveries sort; shared by the GraphQL sort enum and the service. */
export const deliveryList: ListSpec = {
  sortFields: { CreatedAt: webhookDeliveries.createdAt },
  defaultSort: "CreatedAt",
  tieBreaker: webhookDeliveries.id,
};

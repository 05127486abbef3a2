import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { replayWebhookDelivery } from "../webhooks.service.js";
import { WebhookDelivery } from "../webhooks.types.js";

@Resolver()
export class ReplayWebhookDeliveryResolver {
  @Mutation(() => WebhookDelivery, {
    description: "Sends a delivery again now, with the same webhook-id; answers it pending, with its earlier attempts",
  })
  replayWebhookDelivery(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return replayWebhookDelivery(ctx, id);
  }
}

import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { replayWebhookDelivery } from "../webhooks.service.js";

@Resolver()
export class ReplayWebhookDeliveryResolver {
  @Mutation(() => Boolean, { description: "Sends a delivery again now, with the same webhook-id" })
  replayWebhookDelivery(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return replayWebhookDelivery(ctx, id);
  }
}

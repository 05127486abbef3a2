import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listWebhookDeliveries } from "../webhooks.service.js";
import { WebhookDeliveriesArgs, WebhookDeliveryPage } from "../webhooks.types.js";

@Resolver()
export class WebhookDeliveriesResolver {
  @Query(() => WebhookDeliveryPage, { description: "An endpoint's deliveries with their attempts, newest first" })
  webhookDeliveries(@Ctx() ctx: RequestContext, @Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs) {
    return listWebhookDeliveries(ctx, args);
  }
}

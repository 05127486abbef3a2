import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listWebhookEndpoints } from "../webhooks.service.js";
import { WebhookEndpoint } from "../webhooks.types.js";

@Resolver()
export class WebhookEndpointsResolver {
  @Query(() => [WebhookEndpoint], { description: "The organization's webhook endpoints, oldest first" })
  webhookEndpoints(@Ctx() ctx: RequestContext) {
    return listWebhookEndpoints(ctx);
  }
}

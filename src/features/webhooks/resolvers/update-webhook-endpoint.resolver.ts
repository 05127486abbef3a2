import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { updateWebhookEndpoint } from "../webhooks.service.js";
import { UpdateWebhookEndpointInput, WebhookEndpoint } from "../webhooks.types.js";

@Resolver()
export class UpdateWebhookEndpointResolver {
  @Mutation(() => WebhookEndpoint, { description: "Changes an endpoint's URL, event types or enabled flag" })
  updateWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ) {
    return updateWebhookEndpoint(ctx, id, input);
  }
}

import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { deleteWebhookEndpoint } from "../webhooks.service.js";
import { DeleteWebhookEndpointPayload } from "../webhooks.types.js";

@Resolver()
export class DeleteWebhookEndpointResolver {
  @Mutation(() => DeleteWebhookEndpointPayload, { description: "Deletes an endpoint with its deliveries" })
  deleteWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return deleteWebhookEndpoint(ctx, id);
  }
}

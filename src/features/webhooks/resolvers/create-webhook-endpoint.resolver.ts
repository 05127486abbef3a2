import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { createWebhookEndpoint } from "../webhooks.service.js";
import { CreatedWebhookEndpoint, CreateWebhookEndpointInput } from "../webhooks.types.js";

@Resolver()
export class CreateWebhookEndpointResolver {
  @Mutation(() => CreatedWebhookEndpoint, {
    description: "Registers an endpoint for the organization's events; answers its signing secret this once",
  })
  createWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
  ) {
    return createWebhookEndpoint(ctx, input);
  }
}

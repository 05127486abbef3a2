import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { createApiClient } from "../api-clients.service.js";
import { CreateApiClientInput, CreatedApiClient } from "../api-clients.types.js";

@Resolver()
export class CreateApiClientResolver {
  @Mutation(() => CreatedApiClient, {
    description: "Creates a machine client of the organization; the answer holds its secret, shown only this once",
  })
  createApiClient(@Ctx() ctx: RequestContext, @Arg("input", () => CreateApiClientInput) input: CreateApiClientInput) {
    return createApiClient(ctx, input);
  }
}

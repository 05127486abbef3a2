import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { revokeApiClient } from "../api-clients.service.js";
import { ApiClient } from "../api-clients.types.js";

@Resolver()
export class RevokeApiClientResolver {
  @Mutation(() => ApiClient, { description: "Revokes an API client; its tokens are refused from the next request" })
  revokeApiClient(@Ctx() ctx: RequestContext, @Arg("id", () => String) id: string) {
    return revokeApiClient(ctx, id);
  }
}

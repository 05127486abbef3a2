import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listApiClients } from "../api-clients.service.js";
import { ApiClient } from "../api-clients.types.js";

@Resolver()
export class ApiClientsResolver {
  @Query(() => [ApiClient], { description: "The organization's API clients that are not revoked, oldest first" })
  apiClients(@Ctx() ctx: RequestContext) {
    return listApiClients(ctx);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { setApiClientRoles } from "../api-clients.service.js";
import { ApiClient } from "../api-clients.types.js";

@Resolver()
export class SetApiClientRolesResolver {
  @Mutation(() => ApiClient, {
    description:
      "Gives an API client exactly these roles (Admin, custom seller role keys); its next token exchange carries them",
  })
  setApiClientRoles(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => String) id: string,
    @Arg("roles", () => [String]) roles: string[],
  ) {
    return setApiClientRoles(ctx, id, roles);
  }
}

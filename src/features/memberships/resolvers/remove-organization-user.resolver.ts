import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { removeOrganizationUser } from "../memberships.service.js";
import { RemovedOrganizationUser } from "../memberships.types.js";

@Resolver()
export class RemoveOrganizationUserResolver {
  @Mutation(() => RemovedOrganizationUser, {
    description:
      "Takes a person out of the caller's organization: membership, admin role, customer association and rep assignment there; the last admin stays",
  })
  removeOrganizationUser(@Ctx() ctx: RequestContext, @Arg("userId", () => String) userId: string) {
    return removeOrganizationUser(ctx, userId);
  }
}

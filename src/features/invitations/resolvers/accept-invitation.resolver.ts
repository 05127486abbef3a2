import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { User } from "../../users/users.types.js";
import { acceptInvitation } from "../invitations.service.js";

@Resolver()
export class AcceptInvitationResolver {
  @Mutation(() => User, {
    description:
      "Accepts an invitation with the token from its e-mail: sets the password of an account that has none (then required) and makes a pending membership active",
  })
  acceptInvitation(
    @Ctx() ctx: RequestContext,
    @Arg("token", () => String) token: string,
    @Arg("password", () => String, { nullable: true }) password?: string | null,
  ) {
    return acceptInvitation(ctx, token, password);
  }
}

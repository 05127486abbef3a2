import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { User } from "../../users/users.types.js";
import { acceptInvitation } from "../invitations.service.js";

@Resolver()
export class AcceptInvitationResolver {
  @Mutation(() => User, { description: "Sets an invited user's password with the token from the invitation e-mail" })
  acceptInvitation(
    @Ctx() ctx: RequestContext,
    @Arg("token", () => String) token: string,
    @Arg("password", () => String) password: string,
  ) {
    return acceptInvitation(ctx, token, password);
  }
}

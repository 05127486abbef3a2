import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listInvitations, resendInvitation, revokeInvitation } from "../invitation-admin.service.js";
import { Invitation, InvitationPage, InvitationsArgs } from "../invitations.types.js";

@Resolver()
export class InvitationsResolver {
  @Query(() => InvitationPage, {
    description: "The organization's invitations with their state; newest first (CREATED_AT) by default",
  })
  invitations(@Ctx() ctx: RequestContext, @Args(() => InvitationsArgs) args: InvitationsArgs) {
    return listInvitations(ctx, args);
  }

  @Mutation(() => Invitation, {
    description: "E-mails a pending or expired invitation again, with a new link and expiry; the old link stops",
  })
  resendInvitation(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return resendInvitation(ctx, id);
  }

  @Mutation(() => Invitation, {
    description: "Revokes a pending or expired invitation; a membership still waiting for consent is withdrawn",
  })
  revokeInvitation(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return revokeInvitation(ctx, id);
  }
}

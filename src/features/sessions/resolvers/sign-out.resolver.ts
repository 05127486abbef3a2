import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { signOut } from "../sessions.service.js";

@Resolver()
export class SignOutResolver {
  @Mutation(() => Boolean, {
    description:
      "Ends the caller's session at once: the identity token of its sign-in and every access token enriched from it; allSessions ends every session of the user",
  })
  signOut(
    @Ctx() ctx: RequestContext,
    @Arg("allSessions", () => Boolean, { nullable: true }) allSessions?: boolean | null,
  ) {
    return signOut(ctx, allSessions ?? false);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { changePassword } from "../sessions.service.js";
import { IssuedTokenType } from "../sessions.types.js";

@Resolver()
export class ChangePasswordResolver {
  @Mutation(() => IssuedTokenType, {
    description:
      "Changes the caller's password given the current one; every token issued before stops working, and a new identity token is answered",
  })
  changePassword(
    @Ctx() ctx: RequestContext,
    @Arg("currentPassword", () => String) currentPassword: string,
    @Arg("newPassword", () => String) newPassword: string,
  ) {
    return changePassword(ctx, currentPassword, newPassword);
  }
}

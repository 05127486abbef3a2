import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { requestPasswordReset, resetPassword } from "../password-reset.service.js";

@Resolver()
export class PasswordResetResolver {
  @Mutation(() => Boolean, {
    description:
      "E-mails a single-use link to choose a new password when the address has an account; answers true either way",
  })
  requestPasswordReset(@Ctx() ctx: RequestContext, @Arg("email", () => String) email: string) {
    return requestPasswordReset(ctx, email);
  }

  @Mutation(() => Boolean, {
    description:
      "Sets a new password with the token of a reset link; the token works once, and every earlier token of the account stops working",
  })
  resetPassword(
    @Ctx() ctx: RequestContext,
    @Arg("token", () => String) token: string,
    @Arg("password", () => String) password: string,
  ) {
    return resetPassword(ctx, token, password);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { signIn } from "../sessions.service.js";
import { IssuedTokenType } from "../sessions.types.js";

@Resolver()
export class SignInResolver {
  @Mutation(() => IssuedTokenType, { description: "Exchanges e-mail and password for an identity token" })
  signIn(
    @Ctx() ctx: RequestContext,
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
  ) {
    return signIn(ctx, email, password);
  }
}

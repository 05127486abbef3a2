import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { signIn } from "../sessions.service.js";
import { SignedInType } from "../sessions.types.js";

@Resolver()
export class SignInResolver {
  @Mutation(() => SignedInType, { description: "Exchanges e-mail and password for an identity token" })
  signIn(
    @Ctx() ctx: RequestContext,
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Arg("deviceToken", () => String, { nullable: true }) deviceToken?: string | null,
  ) {
    return signIn(ctx, email, password, deviceToken);
  }
}

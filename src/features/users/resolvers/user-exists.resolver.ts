import { Arg, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { userExists } from "../users.service.js";

@Resolver()
export class UserExistsResolver {
  @Query(() => Boolean, {
    description: "Whether an account uses this e-mail address; public, 10 a minute per client IP",
  })
  userExists(@Ctx() ctx: RequestContext, @Arg("email", () => String) email: string) {
    return userExists(ctx, email);
  }
}

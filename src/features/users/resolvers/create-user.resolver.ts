import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { createUser } from "../users.service.js";
import { CreateUserInput, User } from "../users.types.js";

@Resolver()
export class CreateUserResolver {
  @Mutation(() => User, {
    description:
      "Adds a user to the caller's organization; a registered e-mail reuses its account and only gains the membership",
  })
  createUser(@Ctx() ctx: RequestContext, @Arg("input", () => CreateUserInput) input: CreateUserInput) {
    return createUser(ctx, input);
  }
}

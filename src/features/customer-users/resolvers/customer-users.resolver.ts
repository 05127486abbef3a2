import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import {
  inviteCustomerUser,
  listMyCustomerUsers,
  removeMyCustomerUser,
  setMyCustomerUserRoles,
} from "../customer-users.service.js";
import { CustomerUser, InviteCustomerUserInput } from "../customer-users.types.js";

@Resolver()
export class CustomerUsersResolver {
  @Query(() => [CustomerUser], { description: "The users of the caller's own customer, by e-mail" })
  myCustomerUsers(@Ctx() ctx: RequestContext) {
    return listMyCustomerUsers(ctx);
  }

  @Mutation(() => CustomerUser, {
    description: "Invites a person to the caller's customer by e-mail, with buyer roles the caller may give",
  })
  inviteCustomerUser(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => InviteCustomerUserInput) input: InviteCustomerUserInput,
  ) {
    return inviteCustomerUser(ctx, input);
  }

  @Mutation(() => CustomerUser, {
    description: "Gives a user of the caller's customer exactly these buyer roles; someone must still manage users",
  })
  setMyCustomerUserRoles(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("roles", () => [String]) roles: string[],
  ) {
    return setMyCustomerUserRoles(ctx, userId, roles);
  }

  @Mutation(() => CustomerUser, {
    description: "Removes a user from the caller's customer; answers the user as it was. The last user manager stays",
  })
  removeMyCustomerUser(@Ctx() ctx: RequestContext, @Arg("userId", () => String) userId: string) {
    return removeMyCustomerUser(ctx, userId);
  }
}

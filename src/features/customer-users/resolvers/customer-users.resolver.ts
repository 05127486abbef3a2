import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import {
  inviteCustomerUser,
  listMyCustomerUsers,
  removeMyCustomerUser,
  setMyCustomerUserRoles,
} from "../customer-users.service.js";
import type { BuyerScopeKind } from "../../customer-associations/customer-associations.tables.js";
import { BuyerScopeEnum } from "../../customer-associations/customer-associations.types.js";
import { CustomerUser, InviteCustomerUserInput } from "../customer-users.types.js";

const customerNumberArg = {
  nullable: true,
  description:
    "A customer the caller manages: the token's by default, or one below the caller's with an inheriting scope",
} as const;

@Resolver()
export class CustomerUsersResolver {
  @Query(() => [CustomerUser], { description: "The users of a customer the caller manages, by e-mail" })
  myCustomerUsers(
    @Ctx() ctx: RequestContext,
    @Arg("customerNumber", () => String, customerNumberArg) customerNumber?: string | null,
  ) {
    return listMyCustomerUsers(ctx, customerNumber);
  }

  @Mutation(() => CustomerUser, {
    description: "Invites a person to a customer the caller manages by e-mail, with buyer roles the caller may give",
  })
  inviteCustomerUser(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => InviteCustomerUserInput) input: InviteCustomerUserInput,
  ) {
    return inviteCustomerUser(ctx, input);
  }

  @Mutation(() => CustomerUser, {
    description:
      "Gives a user of a customer the caller manages exactly these buyer roles (and scope, when given); someone must still manage users",
  })
  setMyCustomerUserRoles(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("roles", () => [String]) roles: string[],
    @Arg("customerNumber", () => String, customerNumberArg) customerNumber?: string | null,
    @Arg("scope", () => BuyerScopeEnum, { nullable: true, description: "Unchanged when omitted" })
    scope?: BuyerScopeKind | null,
  ) {
    return setMyCustomerUserRoles(ctx, userId, roles, customerNumber, scope);
  }

  @Mutation(() => CustomerUser, {
    description:
      "Removes a user from a customer the caller manages; answers the user as it was. The last user manager stays",
  })
  removeMyCustomerUser(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("customerNumber", () => String, customerNumberArg) customerNumber?: string | null,
  ) {
    return removeMyCustomerUser(ctx, userId, customerNumber);
  }
}

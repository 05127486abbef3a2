import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { setCustomerUserRoles } from "../customer-associations.service.js";
import type { BuyerScopeKind } from "../customer-associations.tables.js";
import { BuyerScopeEnum, UserCustomer } from "../customer-associations.types.js";

@Resolver()
export class SetCustomerUserRolesResolver {
  @Mutation(() => UserCustomer, {
    description:
      "Gives a user of a customer exactly these buyer roles (keys), and their scope when given (else unchanged); its next request holds them",
  })
  setCustomerUserRoles(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("customerNumber", () => String) customerNumber: string,
    @Arg("roles", () => [String]) roles: string[],
    @Arg("scope", () => BuyerScopeEnum, { nullable: true }) scope?: BuyerScopeKind | null,
  ) {
    return setCustomerUserRoles(ctx, userId, customerNumber, roles, scope);
  }
}

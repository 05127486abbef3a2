import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { setCustomerUserRoles } from "../customer-associations.service.js";
import { UserCustomer } from "../customer-associations.types.js";

@Resolver()
export class SetCustomerUserRolesResolver {
  @Mutation(() => UserCustomer, {
    description: "Gives a user of a customer exactly these buyer roles (keys); its next request holds them",
  })
  setCustomerUserRoles(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("customerNumber", () => String) customerNumber: string,
    @Arg("roles", () => [String]) roles: string[],
  ) {
    return setCustomerUserRoles(ctx, userId, customerNumber, roles);
  }
}

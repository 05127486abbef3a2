import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { dissociateUserCustomer } from "../customer-associations.service.js";
import { UserCustomer } from "../customer-associations.types.js";

@Resolver()
export class DissociateUserCustomerResolver {
  @Mutation(() => UserCustomer, {
    description: "Undoes a user's link to a customer of the organization; answers the link that was removed",
  })
  dissociateUserCustomer(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("customerNumber", () => String) customerNumber: string,
  ) {
    return dissociateUserCustomer(ctx, userId, customerNumber);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { associateUserCustomer } from "../customer-associations.service.js";
import { UserCustomer } from "../customer-associations.types.js";

@Resolver()
export class AssociateUserCustomerResolver {
  @Mutation(() => UserCustomer, {
    description: "Links a user of the organization to one of its customers, replacing any earlier link",
  })
  associateUserCustomer(
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => String) userId: string,
    @Arg("customerNumber", () => String) customerNumber: string,
  ) {
    return associateUserCustomer(ctx, userId, customerNumber);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { createSalesRepRole } from "../sales-rep-roles.service.js";
import { CreateSalesRepRoleInput, SalesRepRole } from "../sales-rep-roles.types.js";

@Resolver()
export class CreateSalesRepRoleResolver {
  @Mutation(() => SalesRepRole, { description: "Defines a sales-rep role: a key, a name and the customers it reaches" })
  createSalesRepRole(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CreateSalesRepRoleInput) input: CreateSalesRepRoleInput,
  ) {
    return createSalesRepRole(ctx, input);
  }
}

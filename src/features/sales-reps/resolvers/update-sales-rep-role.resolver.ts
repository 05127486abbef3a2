import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { updateSalesRepRole } from "../sales-rep-roles.service.js";
import { SalesRepRole, UpdateSalesRepRoleInput } from "../sales-rep-roles.types.js";

@Resolver()
export class UpdateSalesRepRoleResolver {
  @Mutation(() => SalesRepRole, {
    description:
      "Changes a sales-rep role's name, description or scope; every rep holding it follows on its next request",
  })
  updateSalesRepRole(
    @Ctx() ctx: RequestContext,
    @Arg("key", () => String) key: string,
    @Arg("input", () => UpdateSalesRepRoleInput) input: UpdateSalesRepRoleInput,
  ) {
    return updateSalesRepRole(ctx, key, input);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { SetSalesRepAccessInput } from "../sales-rep-roles.types.js";
import { setSalesRepAccess } from "../sales-reps.service.js";
import { OrganizationSalesRep } from "../sales-reps.types.js";

@Resolver()
export class SetSalesRepAccessResolver {
  @Mutation(() => OrganizationSalesRep, {
    description:
      "Sets which customers an assignment reaches: CUSTOMER (its rep number's and listed ones), ROLE (a sales-rep role's scope) or ALL",
  })
  setSalesRepAccess(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SetSalesRepAccessInput) input: SetSalesRepAccessInput,
  ) {
    return setSalesRepAccess(ctx, input);
  }
}

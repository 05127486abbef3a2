import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { updateSalesRepNumber } from "../sales-reps.service.js";
import { OrganizationSalesRep } from "../sales-reps.types.js";

@Resolver()
export class UpdateSalesRepNumberResolver {
  @Mutation(() => OrganizationSalesRep, { description: "Changes a rep's rep number, unique within the organization" })
  updateSalesRepNumber(
    @Ctx() ctx: RequestContext,
    @Arg("organizationSalesRepId", () => String) organizationSalesRepId: string,
    @Arg("repNumber", () => String) repNumber: string,
  ) {
    return updateSalesRepNumber(ctx, organizationSalesRepId, repNumber);
  }
}

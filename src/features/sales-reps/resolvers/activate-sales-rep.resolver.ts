import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { activateSalesRep } from "../sales-reps.service.js";
import { OrganizationSalesRep } from "../sales-reps.types.js";

@Resolver()
export class ActivateSalesRepResolver {
  @Mutation(() => OrganizationSalesRep, {
    description: "Restores a deactivated rep's access and sends it a re-invitation",
  })
  activateSalesRep(
    @Ctx() ctx: RequestContext,
    @Arg("organizationSalesRepId", () => String) organizationSalesRepId: string,
  ) {
    return activateSalesRep(ctx, organizationSalesRepId);
  }
}

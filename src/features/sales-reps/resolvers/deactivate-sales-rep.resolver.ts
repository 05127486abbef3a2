import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { deactivateSalesRep } from "../sales-reps.service.js";
import { OrganizationSalesRep } from "../sales-reps.types.js";

@Resolver()
export class DeactivateSalesRepResolver {
  @Mutation(() => OrganizationSalesRep, { description: "Revokes a rep's access at once; the record is kept" })
  deactivateSalesRep(
    @Ctx() ctx: RequestContext,
    @Arg("organizationSalesRepId", () => String) organizationSalesRepId: string,
  ) {
    return deactivateSalesRep(ctx, organizationSalesRepId);
  }
}

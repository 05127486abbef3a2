import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listMySalesRepOrganizations } from "../sales-reps.service.js";
import { OrganizationSalesRep } from "../sales-reps.types.js";

@Resolver()
export class MySalesRepOrganizationsResolver {
  @Query(() => [OrganizationSalesRep], { description: "The caller's own sales rep assignments, active or not" })
  mySalesRepOrganizations(@Ctx() ctx: RequestContext) {
    return listMySalesRepOrganizations(ctx);
  }
}

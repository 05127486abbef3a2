import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listSalesRepRoles } from "../sales-rep-roles.service.js";
import { SalesRepRole } from "../sales-rep-roles.types.js";

@Resolver()
export class SalesRepRolesResolver {
  @Query(() => [SalesRepRole], { description: "The organization's sales-rep roles, by key" })
  salesRepRoles(@Ctx() ctx: RequestContext) {
    return listSalesRepRoles(ctx);
  }
}

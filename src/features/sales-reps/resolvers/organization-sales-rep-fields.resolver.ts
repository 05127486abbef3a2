import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { assignedCustomerIds, organizationOf, repWithUser } from "../sales-rep-relations.js";
import { RepUserFieldsResolver } from "./rep-user-fields.resolver.js";
import { OrganizationSalesRep, SalesRep } from "../sales-reps.types.js";

/** Relations of an assignment (the rep's person fields come from RepUserFieldsResolver), each batched per request so a list costs a fixed number of statements. */
@Resolver(() => OrganizationSalesRep)
export class OrganizationSalesRepFieldsResolver extends RepUserFieldsResolver(
  OrganizationSalesRep,
  (assignment) => assignment.salesRepId,
) {
  @FieldResolver(() => String)
  async organizationName(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await organizationOf(ctx, assignment.organizationId)).name;
  }

  @FieldResolver(() => String, { description: "The code POST /api/auth/access takes" })
  async identityOrganizationId(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await organizationOf(ctx, assignment.organizationId)).identityOrganizationId;
  }

  @FieldResolver(() => SalesRep)
  async salesRep(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).rep;
  }

  @FieldResolver(() => ID, { description: "The rep's user id" })
  async userId(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).user.id;
  }

  @FieldResolver(() => [ID], {
    description: "Customers listed for this assignment, besides those matching its rep number",
  })
  customerIds(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return assignedCustomerIds(ctx, assignment);
  }
}

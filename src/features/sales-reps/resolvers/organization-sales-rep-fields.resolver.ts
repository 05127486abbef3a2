import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { assignedCustomerIds, repWithUser } from "../sales-rep-relations.js";
import { salesRepView, type CompiledAssignment } from "../sales-rep-views.js";
import { OrganizationSalesRep, SalesRep } from "../sales-reps.types.js";

/**
 * Relations of an assignment. A compiled list (sales-rep-shape.ts) has built them into the object
 * already; an assignment from anywhere else loads them, batched per request.
 */
@Resolver(() => OrganizationSalesRep)
export class OrganizationSalesRepFieldsResolver {
  @FieldResolver(() => SalesRep)
  async salesRep(@Root() assignment: CompiledAssignment, @Ctx() ctx: RequestContext) {
    return assignment.salesRep ?? salesRepView(await repWithUser(ctx, assignment.salesRepId));
  }

  @FieldResolver(() => [ID], {
    description: "Customers listed for this assignment, besides those matching its rep number",
  })
  customerIds(@Root() assignment: CompiledAssignment, @Ctx() ctx: RequestContext) {
    return assignment.customerIds ?? assignedCustomerIds(ctx, assignment);
  }
}

import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { assignedCustomerIds, repWithUser } from "../sales-rep-relations.js";
import { salesRepView, type AssignmentView } from "../sales-rep-views.js";
import { OrganizationSalesRep, SalesRep } from "../sales-reps.types.js";

/** Relations of an assignment, each batched per request so a list costs a fixed number of statements. */
@Resolver(() => OrganizationSalesRep)
export class OrganizationSalesRepFieldsResolver {
  @FieldResolver(() => SalesRep)
  async salesRep(@Root() assignment: AssignmentView, @Ctx() ctx: RequestContext) {
    return salesRepView(await repWithUser(ctx, assignment.salesRepId));
  }

  @FieldResolver(() => [ID], {
    description: "Customers listed for this assignment, besides those matching its rep number",
  })
  customerIds(@Root() assignment: AssignmentView, @Ctx() ctx: RequestContext) {
    return assignedCustomerIds(ctx, assignment);
  }
}

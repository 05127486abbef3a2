import type { RequestContext } from "../../graphql/context.js";
import { repCanSeeCustomer } from "../sales-reps/rep-scope.js";
import type { CustomerRow } from "./customers.service.js";

/**
 * Whether a caller acting without the Admin role, as a sales rep of the customer's organization,
 * may see this customer. Rep scoping belongs to the sales-reps feature.
 */
export async function salesRepCanSeeCustomer(ctx: RequestContext, customer: CustomerRow): Promise<boolean> {
  const grant = await ctx.auth.access();
  return repCanSeeCustomer(ctx.db, grant.userId, grant.organizationId, customer.id);
}

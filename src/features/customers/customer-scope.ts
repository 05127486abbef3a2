import type { RequestContext } from "../../graphql/context.js";
import type { CustomerRow } from "./customers.service.js";

/**
 * Whether a caller acting without the Admin role, as a sales rep of the customer's organization,
 * may see this customer. Rep scoping belongs to the sales-reps feature, which supplies this body;
 * until it does, no rep sees any customer.
 */
export async function salesRepCanSeeCustomer(_ctx: RequestContext, _customer: CustomerRow): Promise<boolean> {
  return false;
}

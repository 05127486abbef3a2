import type { RequestContext } from "../../context.js";
import type { PageResult } from "../../pagination.js";
import { pageOfCustomers } from "../customers/customers.service.js";
import type { CustomersArgs } from "../customers/customers.types.js";
import { inRepScope } from "../customers/rep-scope.js";
import type { CustomerRow } from "../customers/customers.tables.js";

/** GET /api/salesreps/customers: the caller's customers in its token's organization, paged like GET /api/customers. */
export async function listMySalesRepCustomers(
  ctx: RequestContext,
  args: CustomersArgs,
): Promise<PageResult<CustomerRow>> {
  const grant = await ctx.auth.userAccess();
  return pageOfCustomers(ctx, inRepScope(ctx.db, grant.userId, grant.organizationId), args);
}

import type { RequestContext } from "../../context.js";
import type { Selection } from "../../db/json-select.js";
import type { PageResult } from "../../pagination.js";
import { pageOfCustomers } from "../customers/customers.service.js";
import type { CustomersArgs } from "../customers/customers.types.js";
import { inReach } from "../customers/customer-reach.js";
import type { CompiledCustomer } from "../customers/customer-shape.js";

/** GET /api/salesreps/customers: the caller's customers in its token's organization, paged like GET /api/customers. */
export async function listMySalesRepCustomers(
  ctx: RequestContext,
  args: CustomersArgs,
  selection: Selection,
): Promise<PageResult<CompiledCustomer>> {
  const grant = await ctx.auth.userAccess();
  return pageOfCustomers(
    ctx,
    inReach(ctx.db, { userId: grant.userId, organizationId: grant.organizationId, asBuyer: false, asRep: true }),
    args,
    selection,
  );
}

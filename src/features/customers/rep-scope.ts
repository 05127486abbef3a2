import { and, eq, exists, isNull, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { customers } from "./customers.tables.js";
import { organizationSalesReps, salesRepCustomers, salesReps } from "../sales-reps/sales-reps.tables.js";

/**
 * The one definition of a sales rep's customers, as a condition on a row of `customers`: in the
 * organization, the user holds an active assignment there, and the customer either carries the
 * assignment's rep number, is listed for the assignment, or the assignment's access type is `all`.
 * `role` scopes like `customer`. An inactive or pending assignment (or none) matches nothing.
 */
export function inRepScope(db: Executor, userId: string | Placeholder, organizationId: string | Placeholder): SQL {
  const assignment = db
    .select({ one: sql`1` })
    .from(organizationSalesReps)
    .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
    .where(
      and(
        eq(organizationSalesReps.organizationId, customers.organizationId),
        eq(salesReps.userId, userId),
        eq(organizationSalesReps.active, true),
        isNull(organizationSalesReps.pendingSince),
        or(
          eq(organizationSalesReps.accessType, "all"),
          eq(organizationSalesReps.repNumber, customers.repNumber),
          exists(
            db
              .select({ one: sql`1` })
              .from(salesRepCustomers)
              .where(
                and(
                  eq(salesRepCustomers.organizationSalesRepId, organizationSalesReps.id),
                  eq(salesRepCustomers.customerId, customers.id),
                ),
              ),
          ),
        ),
      ),
    );
  return and(eq(customers.organizationId, organizationId), exists(assignment))!;
}

/**
 * The id of the customer, found by id or by number, when the user as a sales rep of the
 * organization may see it and act for it; undefined otherwise, as for a customer that does not exist.
 */
export async function repCustomerId(
  db: Executor,
  userId: string,
  organizationId: string,
  match: { customerId: string } | { customerNumber: string },
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        "customerId" in match ? eq(customers.id, match.customerId) : eq(customers.customerNumber, match.customerNumber),
        inRepScope(db, userId, organizationId),
      ),
    )
    .limit(1);
  return row?.id;
}

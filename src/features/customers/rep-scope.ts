import { and, eq, exists, isNotNull, isNull, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { customers } from "./customers.tables.js";
import { scopeRuleMatches } from "../sales-reps/scope-rule.js";
import { organizationSalesReps, salesRepCustomers, salesRepRoles, salesReps } from "../sales-reps/sales-reps.tables.js";

/**
 * The one definition of a sales rep's customers, as a condition on a row of `customers`: in the
 * organization, the user holds an active assignment there, and either the assignment's access type
 * is `all`, or it names a sales-rep role whose scope rule selects the customer, or it names none
 * (`customer`, or `role` before a role is given) and the customer carries the assignment's rep
 * number or is listed for it. An inactive assignment (or none) matches nothing. The role's rule is
 * read in this same condition, so a changed role re-scopes its reps on their next request. A pending
 * assignment (awaiting the person's consent) matches nothing either.
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
          and(
            isNull(organizationSalesReps.salesRepRole),
            or(
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
          // The null check first: an assignment without a role never runs the rule's subquery.
          and(
            isNotNull(organizationSalesReps.salesRepRole),
            exists(
              db
                .select({ one: sql`1` })
                .from(salesRepRoles)
                .where(
                  and(
                    eq(salesRepRoles.organizationId, organizationSalesReps.organizationId),
                    eq(salesRepRoles.key, organizationSalesReps.salesRepRole),
                    scopeRuleMatches(salesRepRoles.scope, {
                      customerNumber: customers.customerNumber,
                      attributes: customers.customerAttributes,
                    }),
                  ),
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

import { and, eq, exists, isNotNull, isNull, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { userCustomers } from "../customer-associations/customer-associations.tables.js";
import { scopeRuleMatches } from "../sales-reps/scope-rule.js";
import { organizationSalesReps, salesRepCustomers, salesRepRoles, salesReps } from "../sales-reps/sales-reps.tables.js";
import { descendantIdsSql } from "./customer-tree.js";
import { customers } from "./customers.tables.js";

/**
 * A user in one organization, and the grounds on which it may reach customers there: its own
 * customer association (a buyer), its active sales-rep assignment (a rep), or both.
 */
export interface Reacher {
  userId: string | Placeholder;
  organizationId: string | Placeholder;
  asBuyer: boolean;
  asRep: boolean;
}

/**
 * The one answer to "which customers does this user reach", as a condition on a row of
 * `customers`: lists, reads, the customer a token may name (`access` and the per-request recheck),
 * a buyer's people and addresses all ask it. Always confined to the organization.
 *
 * - As a buyer: the customer of its association, and every customer below it when the association's
 *   scope is `self_and_descendants`.
 * - As a rep (an active, consented assignment): everything with access type `all`; with a
 *   sales-rep role, what the role's scope rule selects; otherwise the customers carrying its rep
 *   number and those listed for it, the listed ones with their descendants when the assignment
 *   includes descendants.
 *
 * Inheritance walks down through `descendantIdsSql` from a set of roots chosen once per statement,
 * so a page of customers costs one tree walk, not one per row.
 */
export function inReach(db: Executor, who: Reacher): SQL {
  const grounds: SQL[] = [];
  if (who.asBuyer) grounds.push(buyerReach(who));
  if (who.asRep) grounds.push(repReach(db, who));
  return and(eq(customers.organizationId, who.organizationId), grounds.length > 0 ? or(...grounds) : sql`false`)!;
}

function buyerReach({ userId, organizationId }: Reacher): SQL {
  const association = (extra: SQL) => sql`(select ${userCustomers.customerId} from ${userCustomers}
    where ${userCustomers.organizationId} = ${organizationId} and ${userCustomers.userId} = ${userId}${extra})`;
  return or(
    sql`${customers.id} in ${association(sql``)}`,
    sql`${customers.id} in ${descendantIdsSql(organizationId, association(sql` and ${userCustomers.scope} = 'self_and_descendants'`))}`,
  )!;
}

/** The assignment of the user in the organization that counts: active, and consented to. */
function liveAssignment({ userId, organizationId }: Reacher): SQL {
  return and(
    eq(organizationSalesReps.organizationId, organizationId),
    eq(salesReps.userId, userId),
    eq(organizationSalesReps.active, true),
    isNull(organizationSalesReps.pendingSince),
  )!;
}

function repReach(db: Executor, who: Reacher): SQL {
  const assignment = db
    .select({ one: sql`1` })
    .from(organizationSalesReps)
    .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
    .where(
      and(
        liveAssignment(who),
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
                      eq(salesRepCustomers.organizationId, customers.organizationId),
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
                      id: customers.id,
                      organizationId: customers.organizationId,
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
  // The listed customers of an assignment that includes descendants, as the roots of one walk.
  const listedRoots = db
    .select({ id: salesRepCustomers.customerId })
    .from(salesRepCustomers)
    .innerJoin(
      organizationSalesReps,
      and(
        eq(organizationSalesReps.organizationId, salesRepCustomers.organizationId),
        eq(organizationSalesReps.id, salesRepCustomers.organizationSalesRepId),
      ),
    )
    .innerJoin(salesReps, eq(salesReps.id, organizationSalesReps.salesRepId))
    .where(
      and(
        liveAssignment(who),
        eq(organizationSalesReps.includeDescendants, true),
        isNull(organizationSalesReps.salesRepRole),
      ),
    );
  return or(
    exists(assignment),
    sql`${customers.id} in ${descendantIdsSql(who.organizationId, sql`(${listedRoots})`)}`,
  )!;
}

/**
 * The customer, found by id or by number, when the user reaches it on the given grounds; undefined
 * otherwise, as for a customer that does not exist.
 */
export async function reachedCustomer(
  db: Executor,
  who: Reacher,
  match: { customerId: string } | { customerNumber: string },
): Promise<{ id: string; customerNumber: string } | undefined> {
  const [row] = await db
    .select({ id: customers.id, customerNumber: customers.customerNumber })
    .from(customers)
    .where(
      and(
        "customerId" in match ? eq(customers.id, match.customerId) : eq(customers.customerNumber, match.customerNumber),
        inReach(db, who),
      ),
    )
    .limit(1);
  return row;
}

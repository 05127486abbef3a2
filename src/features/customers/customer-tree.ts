import { sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";

/** Levels a customer tree may have: a head office at level 1, its branches at 2, ... */
export const maxTreeDepth = 5;

/**
 * The ids of the customers under the roots `rootIds` selects (a subquery or an array of ids), the
 * roots included, as a subquery for `inArray(customers.id, ...)`. The one definition of "descendants
 * of": lists, reach and the tier fallback all walk the tree through this or `ancestorsSql`. The walk
 * stops past the deepest tree allowed, so even a loop written around the checks cannot run forever.
 */
export function descendantIdsSql(organizationId: string | Placeholder | SQL, rootIds: SQL): SQL {
  return sql`(with recursive subtree(id, level) as (
      select c.id, 1 from customers c where c.organization_id = ${organizationId} and c.id in ${rootIds}
      union all
      select c.id, s.level + 1 from customers c join subtree s on c.parent_id = s.id
      where c.organization_id = ${organizationId} and s.level <= ${maxTreeDepth}
    ) select id from subtree)`;
}

/**
 * The ancestors of one customer (a parameter or a column), nearest first, as rows of
 * `(id, distance)`: the parent at distance 1. Bounded as `descendantIdsSql` is.
 */
export function ancestorsSql(organizationId: string | Placeholder | SQL, customerId: SQL): SQL {
  return sql`(with recursive up(id, parent_id, distance) as (
      select c.id, c.parent_id, 0 from customers c where c.organization_id = ${organizationId} and c.id = ${customerId}
      union all
      select c.id, c.parent_id, u.distance + 1 from customers c join up u on c.id = u.parent_id
      where c.organization_id = ${organizationId} and u.distance <= ${maxTreeDepth}
    ) select id, distance from up where distance > 0)`;
}

/**
 * Serialises changes to the organization's trees until the transaction ends: a check of loops and
 * depth then reads a tree no concurrent upsert is reshaping. Upserts that attach nothing skip it.
 */
export async function lockCustomerTrees(tx: Executor, organizationId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`customer-tree:${organizationId}`}, 0))`);
}

export interface TreeNode {
  id: string;
  customerNumber: string;
  parentId: string | null;
}

/**
 * Every customer a reshaped tree can involve when `seedNumbers` change parents: the seeds, their
 * ancestors and their descendants, in one statement. The caller holds the tree lock.
 */
export async function treeAround(tx: Executor, organizationId: string, seedNumbers: string[]): Promise<TreeNode[]> {
  if (seedNumbers.length === 0) return [];
  const rows = await tx.execute<{ id: string; customer_number: string; parent_id: string | null }>(sql`
    with recursive seeds as (
      select id from customers where organization_id = ${organizationId}
        and customer_number in ${seedNumbers}
    ), up(id, parent_id, step) as (
      select c.id, c.parent_id, 0 from customers c join seeds s on s.id = c.id
      where c.organization_id = ${organizationId}
      union all
      select c.id, c.parent_id, u.step + 1 from customers c join up u on c.id = u.parent_id
      where c.organization_id = ${organizationId} and u.step <= ${maxTreeDepth}
    ), down(id, step) as (
      select id, 0 from seeds
      union all
      select c.id, d.step + 1 from customers c join down d on c.parent_id = d.id
      where c.organization_id = ${organizationId} and d.step <= ${maxTreeDepth}
    )
    select c.id, c.customer_number, c.parent_id from customers c
    where c.organization_id = ${organizationId} and c.id in (select id from up union select id from down)`);
  return rowsOf<{ id: string; customer_number: string; parent_id: string | null }>(rows).map((row) => ({
    id: row.id,
    customerNumber: row.customer_number,
    parentId: row.parent_id,
  }));
}

/** postgres.js answers an array of rows, PGlite an object holding them. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

export type TreeProblem = { kind: "loop"; through: string } | { kind: "depth"; deepest: string; level: number };

/**
 * Checks the trees `nodes` form once `moved` (customer id → new parent id) applies: a loop, or a
 * customer below level `maxTreeDepth`. Answers the problem per moved customer that causes it.
 */
export function checkTrees(nodes: Map<string, TreeNode>, moved: Map<string, string | null>): Map<string, TreeProblem> {
  const parentOf = (id: string) => (moved.has(id) ? moved.get(id)! : (nodes.get(id)?.parentId ?? null));
  const numberOf = (id: string) => nodes.get(id)?.customerNumber ?? id;
  const problems = new Map<string, TreeProblem>();
  for (const id of nodes.keys()) {
    // Walk up from every node: the path is at most maxTreeDepth long in a good tree.
    const path: string[] = [id];
    let level = 1;
    let at = parentOf(id);
    let looped = false;
    while (at !== null) {
      if (path.includes(at)) {
        looped = true;
        break;
      }
      path.push(at);
      level += 1;
      if (level > maxTreeDepth + 1) break;
      at = parentOf(at);
    }
    if (looped) {
      for (const member of path) {
        if (moved.has(member) && !problems.has(member)) {
          problems.set(member, { kind: "loop", through: numberOf(moved.get(member)!) });
        }
      }
    } else if (level > maxTreeDepth) {
      // The moved customer nearest the too-deep one made it so.
      const cause = path.find((member) => moved.has(member));
      if (cause && !problems.has(cause)) problems.set(cause, { kind: "depth", deepest: numberOf(id), level });
    }
  }
  return problems;
}

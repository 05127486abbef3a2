import { and, asc, desc, gt, gte, ilike, lt, lte, ne, not, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "./db/client.js";
import { runCompiled } from "./db/json-select.js";
import { BadInputError } from "./errors.js";

/** pageNumber, pageSize, sortOn, sortDirection: what every list takes, from any transport. */
export interface ListQuery {
  pageNumber?: number | null;
  pageSize?: number | null;
  sortOn?: string | null;
  sortDirection?: string | null;
}

/** One list filter: Field Operator Value. */
export interface ListFilterInput {
  field: string;
  operator: string;
  value: string;
}

/** Filter operators by their GraphQL enum names; the values are the documented REST spellings. */
export const FilterOperator = {
  STARTS_WITH: "startswith",
  CONTAINS: "contains",
  NOT_CONTAINS: "notcontains",
  ENDS_WITH: "endswith",
  EQUALS: "equals",
  NOT_EQUALS: "notequals",
  GT: "gt",
  GTE: "gte",
  LT: "lt",
  LTE: "lte",
} as const;

export const filterOperators = Object.values(FilterOperator);

export interface Page {
  pageNumber: number;
  pageSize: number;
  limit: number;
  offset: number;
  orderBy: SQL[];
}

export interface ListSpec {
  /** Sort names (any case) to columns; the first key's spelling is what errors list. */
  sortFields: Record<string, AnyPgColumn>;
  defaultSort: string;
  /** Column that breaks ties so pages never overlap. */
  tieBreaker: AnyPgColumn;
  /** Filterable field names (any case) to columns. */
  filterFields?: Record<string, AnyPgColumn>;
}

export const maxPageSize = 100;
export const defaultPageSize = 25;

/** What resolvePage accepts of the paging arguments; the OpenAPI document states the same bounds. */
export const pageBounds = {
  pageNumber: { minimum: 1 },
  pageSize: { minimum: 1, maximum: maxPageSize },
} as const;

/** Validates paging and sorting arguments against a list's spec; 400 naming the argument. */
export function resolvePage(args: ListQuery, spec: ListSpec): Page {
  const pageNumber = args.pageNumber ?? 1;
  const pageSize = args.pageSize ?? defaultPageSize;
  if (!Number.isInteger(pageNumber) || pageNumber < pageBounds.pageNumber.minimum) {
    throw BadInputError.field("pageNumber", `must be an integer of ${pageBounds.pageNumber.minimum} or more`);
  }
  const sizes = pageBounds.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < sizes.minimum || pageSize > sizes.maximum) {
    throw BadInputError.field("pageSize", `must be an integer from ${sizes.minimum} to ${sizes.maximum}`);
  }
  const column = lookup(spec.sortFields, args.sortOn ?? spec.defaultSort);
  if (!column) {
    throw BadInputError.field("sortOn", `must be one of ${Object.keys(spec.sortFields).join(", ")}`);
  }
  const direction = (args.sortDirection ?? "asc").toLowerCase();
  if (direction !== "asc" && direction !== "desc") {
    throw BadInputError.field("sortDirection", "must be asc or desc");
  }
  const order = direction === "asc" ? asc : desc;
  return {
    pageNumber,
    pageSize,
    limit: pageSize,
    offset: (pageNumber - 1) * pageSize,
    orderBy: [order(column), order(spec.tieBreaker)],
  };
}

/** Turns list filters into one SQL condition (undefined when there are none). */
export function filterCondition(
  filters: readonly ListFilterInput[] | null | undefined,
  spec: ListSpec,
): SQL | undefined {
  if (!filters?.length) return undefined;
  const fields = spec.filterFields ?? {};
  const conditions = filters.map((filter, index) => {
    const column = lookup(fields, filter.field);
    if (!column) {
      throw BadInputError.field(`filters[${index}].field`, `must be one of ${Object.keys(fields).join(", ")}`);
    }
    const operator = filter.operator?.toLowerCase();
    const value = filter.value ?? "";
    const pattern = escapeLike(value);
    switch (operator) {
      case "startswith":
        return ilike(column, `${pattern}%`);
      case "contains":
        return ilike(column, `%${pattern}%`);
      case "notcontains":
        return not(ilike(column, `%${pattern}%`));
      case "endswith":
        return ilike(column, `%${pattern}`);
      case "equals":
        return sql`lower(${column}) = lower(${value})`;
      case "notequals":
        return ne(sql`lower(${column})`, sql`lower(${value})`);
      case "gt":
        return gt(column, value);
      case "gte":
        return gte(column, value);
      case "lt":
        return lt(column, value);
      case "lte":
        return lte(column, value);
      default:
        throw BadInputError.field(`filters[${index}].operator`, `must be one of ${filterOperators.join(", ")}`);
    }
  });
  return and(...conditions);
}

function lookup<T>(map: Record<string, T>, name: string): T | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(map).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : map[key];
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

export interface PageResult<T> {
  items: T[];
  totalCount: number;
  pageNumber: number;
  pageSize: number;
  totalPages: number;
}

/** Builds a page result from rows and a count. */
export function toPage<T>(items: T[], totalCount: number, page: Page): PageResult<T> {
  return {
    items,
    totalCount,
    pageNumber: page.pageNumber,
    pageSize: page.pageSize,
    totalPages: Math.ceil(totalCount / page.pageSize),
  };
}

/** The total of the whole list on every row: rows and count in one statement. */
export const totalCountColumn = sql<number>`count(*) over()`.mapWith(Number);

/**
 * The one way to fetch a page of any list. `select` runs the list's own query for a window of
 * rows, selecting `totalCountColumn` as `totalCount`; a page past the end has no row to carry the
 * total, so only then a second, one-row query reads it.
 */
export async function paginate<T extends { totalCount: number }>(
  args: ListQuery,
  spec: ListSpec,
  select: (window: { orderBy: SQL[]; limit: number; offset: number }) => Promise<T[]>,
): Promise<PageResult<T>> {
  const page = resolvePage(args, spec);
  const rows = await select(page);
  let totalCount = rows[0]?.totalCount ?? 0;
  if (rows.length === 0 && page.offset > 0) {
    const [first] = await select({ orderBy: page.orderBy, limit: 1, offset: 0 });
    totalCount = first?.totalCount ?? 0;
  }
  return toPage(rows, totalCount, page);
}

/** A list's statement compiled from a selection and a sort (json-select.ts's pageText). */
export interface CompiledPage {
  text: string;
  params: readonly string[];
  /** The values of the request's own conditions (its filters), by parameter name. */
  values?: Record<string, unknown>;
}

/**
 * `paginate` for a list compiled to one statement: `compile` gives the statement for a window's
 * sort, run with `values` and the window's limit and offset; each row's JSON is an item.
 */
export async function paginateCompiled<T>(
  db: Executor,
  args: ListQuery,
  spec: ListSpec,
  compile: (orderBy: SQL[]) => CompiledPage,
  values: Record<string, unknown>,
): Promise<PageResult<T>> {
  const page = await paginate(args, spec, async (window) => {
    const statement = compile(window.orderBy);
    const rows = await runCompiled(db, statement.text, statement.params, {
      ...statement.values,
      ...values,
      limit: window.limit,
      offset: window.offset,
    });
    return rows.map(([total, item]) => ({ totalCount: total as number, item: JSON.parse(item as string) as T }));
  });
  return { ...page, items: page.items.map((row) => row.item) };
}

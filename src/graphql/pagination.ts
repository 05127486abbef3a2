import { and, asc, desc, gt, gte, ilike, lt, lte, ne, not, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { ArgsType, Field, InputType, Int, ObjectType, type ClassType } from "type-graphql";
import { BadInputError } from "./errors.js";

/** pageNumber, pageSize, sortOn, sortDirection: the arguments every list takes. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "1-based page number; default 1" })
  pageNumber?: number | null;

  @Field(() => Int, { nullable: true, description: "1 to 100; default 25" })
  pageSize?: number | null;

  @Field(() => String, { nullable: true, description: "One of the list's sort fields, case-insensitive" })
  sortOn?: string | null;

  @Field(() => String, { nullable: true, description: "asc (default) or desc" })
  sortDirection?: string | null;
}

export const filterOperators = [
  "startswith",
  "contains",
  "notcontains",
  "endswith",
  "equals",
  "notequals",
  "gt",
  "gte",
  "lt",
  "lte",
] as const;

@InputType({ description: "One list filter: Field Operator Value" })
export class ListFilter {
  @Field(() => String)
  field!: string;

  @Field(() => String, { description: filterOperators.join(", ") })
  operator!: string;

  @Field(() => String)
  value!: string;
}

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

/** Validates paging and sorting arguments against a list's spec; 400 naming the argument. */
export function resolvePage(args: PageArgs, spec: ListSpec): Page {
  const pageNumber = args.pageNumber ?? 1;
  const pageSize = args.pageSize ?? defaultPageSize;
  if (!Number.isInteger(pageNumber) || pageNumber < 1) {
    throw BadInputError.field("pageNumber", "must be an integer of 1 or more");
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    throw BadInputError.field("pageSize", `must be an integer from 1 to ${maxPageSize}`);
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
export function filterCondition(filters: ListFilter[] | null | undefined, spec: ListSpec): SQL | undefined {
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

/** A page of T: items plus totals, one GraphQL type per item type. */
export function PageOf<T extends object>(item: ClassType<T>, name: string) {
  @ObjectType(name)
  class PageClass {
    @Field(() => [item])
    items!: T[];

    @Field(() => Int, { description: "Matching rows before paging" })
    totalCount!: number;

    @Field(() => Int)
    pageNumber!: number;

    @Field(() => Int)
    pageSize!: number;

    @Field(() => Int)
    totalPages!: number;
  }
  return PageClass;
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

import { ArgsType, Field, InputType, Int, ObjectType, type ClassType } from "type-graphql";
import { FilterOperator, type ListFilterInput, type ListQuery, type ListSpec } from "../pagination.js";
import { constantCase, documentedEnum } from "./enums.js";

export const SortDirection = documentedEnum(
  { ASC: "asc", DESC: "desc" },
  { name: "SortDirection", description: "ASC (default) or DESC", refusal: "must be asc or desc" },
);

documentedEnum(FilterOperator, {
  name: "FilterOperator",
  description: "How a list filter compares; text ignores case",
});

/**
 * A list's sort fields as a GraphQL enum, made from its ListSpec so a new sort field cannot drift
 * from the schema; the internal values are the spec's keys, which the list's service looks up.
 */
export function sortFieldEnum(spec: ListSpec, name: string): Record<string, string> {
  const keys = Object.keys(spec.sortFields);
  return documentedEnum(Object.fromEntries(keys.map((key) => [constantCase(key), key])), {
    name,
    description: `Sort fields; default ${constantCase(spec.defaultSort)}`,
  });
}

/** pageNumber, pageSize, sortOn, sortDirection: the arguments every list takes, sortOn from its enum. */
export function PageArgsOf(sortFields: Record<string, string>) {
  @ArgsType()
  class PageArgs implements ListQuery {
    @Field(() => Int, { nullable: true, description: "1-based page number; default 1" })
    pageNumber?: number | null;

    @Field(() => Int, { nullable: true, description: "1 to 100; default 25" })
    pageSize?: number | null;

    @Field(() => sortFields, { nullable: true })
    sortOn?: string | null;

    @Field(() => SortDirection, { nullable: true })
    sortDirection?: string | null;
  }
  return PageArgs;
}

@InputType({ description: "One list filter: Field Operator Value" })
export class ListFilter implements ListFilterInput {
  @Field(() => String)
  field!: string;

  @Field(() => FilterOperator)
  operator!: string;

  @Field(() => String)
  value!: string;
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

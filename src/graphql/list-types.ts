import { ArgsType, Field, InputType, Int, ObjectType, type ClassType } from "type-graphql";
import { filterOperators, type ListFilterInput, type ListQuery } from "../pagination.js";

/** pageNumber, pageSize, sortOn, sortDirection: the arguments every list takes. */
@ArgsType()
export class PageArgs implements ListQuery {
  @Field(() => Int, { nullable: true, description: "1-based page number; default 1" })
  pageNumber?: number | null;

  @Field(() => Int, { nullable: true, description: "1 to 100; default 25" })
  pageSize?: number | null;

  @Field(() => String, { nullable: true, description: "One of the list's sort fields, case-insensitive" })
  sortOn?: string | null;

  @Field(() => String, { nullable: true, description: "asc (default) or desc" })
  sortDirection?: string | null;
}

@InputType({ description: "One list filter: Field Operator Value" })
export class ListFilter implements ListFilterInput {
  @Field(() => String)
  field!: string;

  @Field(() => String, { description: filterOperators.join(", ") })
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

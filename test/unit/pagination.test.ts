import { sql, type SQL } from "drizzle-orm";
import { PgDialect, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { BadInputError } from "../../src/errors.js";
import { filterCondition, resolvePage, toPage, type ListSpec } from "../../src/pagination.js";

const items = pgTable("items", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  city: text("city"),
  createdAt: timestamp("created_at").notNull(),
});

const spec: ListSpec = {
  sortFields: { name: items.name, createdAt: items.createdAt },
  defaultSort: "name",
  tieBreaker: items.id,
  // Text columns only: every list filters text, and drizzle maps a timestamp parameter as a Date.
  filterFields: { name: items.name, city: items.city },
};

const dialect = new PgDialect();
function render(fragment: SQL | undefined) {
  if (!fragment) return undefined;
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  return { sql: text, params };
}
const orderOf = (args: Parameters<typeof resolvePage>[0]) =>
  render(sql.join(resolvePage(args, spec).orderBy, sql`, `))!.sql;

/** The error a call throws, to assert on its message and field errors. */
function refusal(call: () => unknown): BadInputError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return error as BadInputError;
  }
  throw new Error("expected a BadInputError");
}

describe("resolvePage", () => {
  it("defaults to the first page of 25, sorted by the default field ascending, then the tie-breaker", () => {
    const page = resolvePage({}, spec);
    expect({ ...page, orderBy: undefined }).toEqual({
      pageNumber: 1,
      pageSize: 25,
      limit: 25,
      offset: 0,
      orderBy: undefined,
    });
    expect(orderOf({})).toBe('"items"."name" asc, "items"."id" asc');
  });

  it("treats null arguments as not given", () => {
    const page = resolvePage({ pageNumber: null, pageSize: null, sortOn: null, sortDirection: null }, spec);
    expect([page.pageNumber, page.pageSize]).toEqual([1, 25]);
    expect(orderOf({ sortOn: null })).toBe('"items"."name" asc, "items"."id" asc');
  });

  it("computes the window from page number and size", () => {
    expect(resolvePage({ pageNumber: 3, pageSize: 10 }, spec)).toMatchObject({ limit: 10, offset: 20 });
    expect(resolvePage({ pageSize: 100 }, spec)).toMatchObject({ pageSize: 100 });
  });

  it("sorts on any case of a sort field's name, in either direction, the tie-breaker following", () => {
    expect(orderOf({ sortOn: "CREATEDAT", sortDirection: "DESC" })).toBe(
      '"items"."created_at" desc, "items"."id" desc',
    );
    expect(orderOf({ sortOn: "createdat", sortDirection: "Asc" })).toBe('"items"."created_at" asc, "items"."id" asc');
  });

  it.each([
    [{ pageNumber: 0 }, "pageNumber", "must be an integer of 1 or more"],
    [{ pageNumber: -1 }, "pageNumber", "must be an integer of 1 or more"],
    [{ pageNumber: 1.5 }, "pageNumber", "must be an integer of 1 or more"],
    [{ pageSize: 0 }, "pageSize", "must be an integer from 1 to 100"],
    [{ pageSize: 101 }, "pageSize", "must be an integer from 1 to 100"],
    [{ pageSize: 2.5 }, "pageSize", "must be an integer from 1 to 100"],
    [{ sortOn: "password" }, "sortOn", "must be one of name, createdAt"],
    [{ sortDirection: "up" }, "sortDirection", "must be asc or desc"],
  ])("refuses %o naming the argument", (args, field, problem) => {
    const error = refusal(() => resolvePage(args, spec));
    expect(error.message).toBe(`${field} ${problem}`);
    expect(error.details.errors).toEqual({ [field]: problem });
  });
});

describe("filterCondition", () => {
  const one = (operator: string, value: string, field = "name") =>
    render(filterCondition([{ field, operator, value }], spec));

  it("is no condition without filters", () => {
    expect(filterCondition(undefined, spec)).toBeUndefined();
    expect(filterCondition(null, spec)).toBeUndefined();
    expect(filterCondition([], spec)).toBeUndefined();
  });

  it.each([
    ["startswith", '"items"."name" ilike $1', "ac%"],
    ["contains", '"items"."name" ilike $1', "%ac%"],
    ["notcontains", 'not "items"."name" ilike $1', "%ac%"],
    ["endswith", '"items"."name" ilike $1', "%ac"],
    ["equals", 'lower("items"."name") = lower($1)', "ac"],
    ["notequals", 'lower("items"."name") <> lower($1)', "ac"],
    ["gt", '"items"."name" > $1', "ac"],
    ["gte", '"items"."name" >= $1', "ac"],
    ["lt", '"items"."name" < $1', "ac"],
    ["lte", '"items"."name" <= $1', "ac"],
  ])("renders %s as a bound parameter", (operator, text, param) => {
    expect(one(operator, "ac")).toEqual({ sql: text, params: [param] });
  });

  it("reads operators and field names in any case", () => {
    expect(one("StartsWith", "ac", "NAME")).toEqual({ sql: '"items"."name" ilike $1', params: ["ac%"] });
  });

  it("escapes LIKE wildcards and the escape character in pattern operators only", () => {
    expect(one("contains", "50%_off\\")!.params).toEqual(["%50\\%\\_off\\\\%"]);
    expect(one("startswith", "a_b")!.params).toEqual(["a\\_b%"]);
    expect(one("endswith", "%")!.params).toEqual(["%\\%"]);
    expect(one("equals", "50%_off")!.params).toEqual(["50%_off"]);
  });

  it("never puts a value into the SQL text", () => {
    expect(one("equals", "'; drop table items; --")).toEqual({
      sql: 'lower("items"."name") = lower($1)',
      params: ["'; drop table items; --"],
    });
  });

  it("joins several filters with and", () => {
    const rendered = render(
      filterCondition(
        [
          { field: "name", operator: "contains", value: "a" },
          { field: "CITY", operator: "gte", value: "M" },
        ],
        spec,
      ),
    );
    expect(rendered).toEqual({
      sql: '("items"."name" ilike $1 and "items"."city" >= $2)',
      params: ["%a%", "M"],
    });
  });

  it("refuses an unknown field or operator, naming the filter by index", () => {
    const field = refusal(() =>
      filterCondition(
        [
          { field: "name", operator: "equals", value: "a" },
          { field: "secret", operator: "equals", value: "a" },
        ],
        spec,
      ),
    );
    expect(field.message).toBe("filters[1].field must be one of name, city");
    expect(field.details.errors).toEqual({ "filters[1].field": "must be one of name, city" });

    const operator = refusal(() => filterCondition([{ field: "name", operator: "like", value: "a" }], spec));
    expect(operator.message).toBe(
      "filters[0].operator must be one of startswith, contains, notcontains, endswith, equals, notequals, gt, gte, lt, lte",
    );
  });

  it("refuses every field when the list has no filterable fields", () => {
    const error = refusal(() =>
      filterCondition([{ field: "name", operator: "equals", value: "a" }], { ...spec, filterFields: undefined }),
    );
    expect(error.details.errors).toEqual({ "filters[0].field": "must be one of " });
  });
});

describe("toPage", () => {
  it("counts pages from the total, rounding up", () => {
    const page = resolvePage({ pageNumber: 2, pageSize: 10 }, spec);
    expect(toPage(["k"], 21, page)).toEqual({
      items: ["k"],
      totalCount: 21,
      pageNumber: 2,
      pageSize: 10,
      totalPages: 3,
    });
    expect(toPage([], 0, page).totalPages).toBe(0);
  });
});

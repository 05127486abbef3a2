import type { SQL } from "drizzle-orm";
import {
  Compilation,
  CompiledTexts,
  iso,
  jsonObject,
  list,
  object,
  pageText,
  sqlText,
  value,
  type Selection,
  type Shape,
} from "../../db/json-select.js";

/**
 * The GraphQL types of a sales rep list as SQL, declared once per type: each field of
 * OrganizationSalesRep, SalesRep, SalesRepMetaField and SalesRepCreator and the column, expression
 * or relation it is built from. Values are what the field resolvers would return (enums by their
 * internal strings, timestamps as ISO strings), so compiled objects are read as plain properties.
 */

/** Aliases of the tables an assignment's fields read: the assignment, its organization, rep and user. */
interface AssignmentScope {
  a: string;
  o: string;
  r: string;
  u: string;
}
/** A rep's fields read the rep and its user. */
interface RepScope {
  r: string;
  u: string;
}

/** The person fields (RepPerson), read from the rep's user. */
const personFields = {
  firstName: value<{ u: string }>((s) => `${s.u}.first_name`),
  lastName: value<{ u: string }>((s) => `${s.u}.last_name`),
  email: value<{ u: string }>((s) => `${s.u}.email`),
  phoneNumber: value<{ u: string }>((s) => `${s.u}.phone_number`),
  identityProvider: value<{ u: string }>(
    (s) => `case when ${s.u}.external_subject is null then 'builtin' else 'oidc' end`,
  ),
  identityProviderUserId: value<{ u: string }>((s) => `coalesce(${s.u}.external_subject, ${s.u}.id)`),
};

const creatorShape: Shape<RepScope> = {
  fields: {
    name: value((s) => `${s.r}.created_by_name`),
    type: value((s) => `coalesce(${s.r}.created_by_type, 'user')`),
  },
};

const metaFieldShape: Shape<{ m: string }> = {
  fields: {
    id: value((s) => `${s.m}.id`),
    code: value((s) => `${s.m}.code`),
    value: value((s) => `${s.m}.value`),
  },
};

// The two shapes refer to each other (a rep's assignments, an assignment's rep).
const repShape: Shape<RepScope> = { fields: {}, always: ["id", "userId"] };
const assignmentShape: Shape<AssignmentScope> = { fields: {}, always: ["id", "organizationId", "salesRepId"] };

Object.assign(repShape.fields, {
  ...personFields,
  id: value((s) => `${s.r}.id`),
  userId: value((s) => `${s.r}.user_id`),
  verifiedEmail: value((s) => `${s.u}.email_verified`),
  createdAt: value((s) => iso(`${s.r}.created_at`)),
  updatedAt: value((s) => iso(`${s.r}.updated_at`)),
  createdBy: object(
    creatorShape,
    (s: RepScope) => s,
    (s) => `${s.r}.created_by_name is null`,
  ),
  // inactive when deactivated everywhere (not only where the caller sees), invited until it can sign in.
  status: value((s, c) => {
    const x = c.alias("status");
    return `case when not exists (select 1 from organization_sales_reps ${x} where ${x}.sales_rep_id = ${s.r}.id and ${x}.active)
        then 'inactive' when ${s.u}.password_hash is null and ${s.u}.external_subject is null then 'invited' else 'active' end`;
  }),
  metaFields: list(metaFieldShape, (s: RepScope, c) => {
    const m = c.alias("meta");
    return {
      scope: { m },
      from: `from sales_rep_meta_fields ${m} where ${m}.sales_rep_id = ${s.r}.id`,
      orderBy: `${m}.code`,
    };
  }),
  // The rep's assignments the caller may see: all of them to the rep itself; to an API client those
  // of its own organization; to anyone else those in organizations the caller administers.
  assignments: list(assignmentShape, (s: RepScope, c) => {
    const a = c.alias("assignment");
    const o = c.alias("organization");
    const caller = c.param("callerUserId");
    const client = c.param("callerClientOrganizationId");
    return {
      scope: { a, o, r: s.r, u: s.u },
      from: `from organization_sales_reps ${a} join organizations ${o} on ${o}.id = ${a}.organization_id
        where ${a}.sales_rep_id = ${s.r}.id and (${s.r}.user_id = ${caller} or ${a}.organization_id = ${client}
          or ${a}.organization_id in (select organization_id from organization_users where user_id = ${caller} and is_admin))`,
      orderBy: `${a}.created_at, ${a}.id`,
    };
  }),
} satisfies Shape<RepScope>["fields"]);

Object.assign(assignmentShape.fields, {
  ...personFields,
  id: value((s) => `${s.a}.id`),
  organizationId: value((s) => `${s.a}.organization_id`),
  salesRepId: value((s) => `${s.a}.sales_rep_id`),
  repNumber: value((s) => `${s.a}.rep_number`),
  active: value((s) => `${s.a}.active`),
  pending: value((s) => `${s.a}.pending_since is not null`),
  accessType: value((s) => `${s.a}.access_type`),
  salesRepRole: value((s) => `${s.a}.sales_rep_role`),
  includeDescendants: value((s) => `${s.a}.include_descendants`),
  organizationName: value((s) => `${s.o}.name`),
  identityOrganizationId: value((s) => `${s.o}.identity_organization_id`),
  userId: value((s) => `${s.u}.id`),
  createdAt: value((s) => iso(`${s.a}.created_at`)),
  updatedAt: value((s) => iso(`${s.a}.updated_at`)),
  customerIds: value((s, c) => {
    const x = c.alias("listed");
    return `(select coalesce(json_agg(${x}.customer_id order by ${x}.customer_id), '[]'::json)
      from sales_rep_customers ${x}
      where ${x}.organization_id = ${s.a}.organization_id and ${x}.organization_sales_rep_id = ${s.a}.id)`;
  }),
  salesRep: object(repShape, (s: AssignmentScope) => ({ r: s.r, u: s.u })),
} satisfies Shape<AssignmentScope>["fields"]);

/** The mapped fields of each type, for the check that the mapping covers the schema. */
export const compiledTypes = {
  OrganizationSalesRep: assignmentShape,
  SalesRep: repShape,
  SalesRepMetaField: metaFieldShape,
  SalesRepCreator: creatorShape,
};

export interface CompiledList {
  text: string;
  params: readonly string[];
}

const compiled = new CompiledTexts<CompiledList>();

/**
 * One statement for a page of the organization's assignments with every selected field: the page
 * and its total (`count(*) over ()`), then each row as one JSON document with its nested lists.
 * Cached by selection (one per document) and order; `orderBy` is the list's sort (pagination.ts),
 * in the tables' own names.
 */
export function compileAssignmentList(selection: Selection, orderBy: SQL[]): CompiledList {
  const order = sqlText(orderBy);
  let found = compiled.find(selection, order);
  if (!found) {
    const c = new Compilation();
    const organizationId = c.param("organizationId");
    const limit = c.param("limit");
    const offset = c.param("offset");
    const item = jsonObject(assignmentShape, selection, { a: "a", o: "o", r: "r", u: "u" }, c);
    const text = pageText({
      table: "organization_sales_reps",
      rows: `from organization_sales_reps
  join sales_reps on sales_reps.id = organization_sales_reps.sales_rep_id
  join users on users.id = sales_reps.user_id
  where organization_sales_reps.organization_id = ${organizationId}`,
      order,
      limit,
      offset,
      item,
      join: `join organization_sales_reps a on a.organization_id = page.organization_id and a.id = page.id
join sales_reps r on r.id = a.sales_rep_id
join users u on u.id = r.user_id
join organizations o on o.id = a.organization_id`,
    });
    found = compiled.keep(selection, order, { text, params: c.params });
  }
  return found;
}

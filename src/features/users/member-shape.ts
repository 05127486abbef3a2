import type { SQL } from "drizzle-orm";
import {
  Compilation,
  CompiledTexts,
  jsonObject,
  pageText,
  sqlText,
  value,
  type Selection,
  type Shape,
} from "../../db/json-select.js";

/**
 * The OrganizationUser type as SQL, declared once for the members list and a mutation's answer
 * (findOrganizationUser): each field and the column or expression it is built from, with the
 * values its resolvers would return (roles by their internal names, `Admin` before `Customer`).
 */

/** Aliases of a member's membership row and its user. */
interface MemberScope {
  m: string;
  u: string;
}

const memberShape: Shape<MemberScope> = {
  fields: {
    id: value((s) => `${s.u}.id`),
    email: value((s) => `${s.u}.email`),
    firstName: value((s) => `${s.u}.first_name`),
    lastName: value((s) => `${s.u}.last_name`),
    pending: value((s) => `${s.m}.pending_since is not null`),
    customRoles: value((s) => `${s.m}.role_keys`),
    // Admin by the membership; Customer while the user is associated with a customer here.
    roles: value((s, c) => {
      const x = c.alias("association");
      return `array_remove(array[case when ${s.m}.is_admin then 'Admin' end,
        case when exists (select 1 from user_customers ${x}
          where ${x}.organization_id = ${s.m}.organization_id and ${x}.user_id = ${s.u}.id) then 'Customer' end], null)`;
    }),
  },
};

/** The mapped fields of each type, for the check that the mapping covers the schema. */
export const compiledTypes = { OrganizationUser: memberShape };

/** Every field, for an answer no selection asks for (a mutation's). */
export const everyMemberField: Selection = Object.fromEntries(
  Object.keys(memberShape.fields).map((name) => [name, {}]),
);

export interface CompiledMemberList {
  text: string;
  params: readonly string[];
}

const compiled = new CompiledTexts<CompiledMemberList>();

/**
 * One statement for a page of the organization's members with every selected field: the page and
 * its total (`count(*) over ()`), then each member as one JSON document. Cached by selection (one
 * per document) and order; `orderBy` is the list's sort (member-list.ts), in the tables' own names.
 */
export function compileMemberList(selection: Selection, orderBy: SQL[]): CompiledMemberList {
  const order = sqlText(orderBy);
  let found = compiled.find(selection, order);
  if (!found) {
    const c = new Compilation();
    const organizationId = c.param("organizationId");
    const limit = c.param("limit");
    const offset = c.param("offset");
    const item = jsonObject(memberShape, selection, { m: "m", u: "u" }, c);
    const text = pageText({
      table: "organization_users",
      rows: `from organization_users
  join users on users.id = organization_users.user_id
  where organization_users.organization_id = ${organizationId}`,
      order,
      limit,
      offset,
      item,
      join: `join organization_users m on m.organization_id = page.organization_id and m.id = page.id
join users u on u.id = m.user_id`,
    });
    found = compiled.keep(selection, order, { text, params: c.params });
  }
  return found;
}

const single = new WeakMap<Selection, CompiledMemberList>();

/** One statement for one member of an organization with every selected field, as one JSON document. */
export function compileMember(selection: Selection): CompiledMemberList {
  let found = single.get(selection);
  if (!found) {
    const c = new Compilation();
    const organizationId = c.param("organizationId");
    const userId = c.param("userId");
    const item = jsonObject(memberShape, selection, { m: "m", u: "u" }, c);
    const text = `select ${item}::text from organization_users m join users u on u.id = m.user_id
where m.organization_id = ${organizationId} and m.user_id = ${userId}`;
    found = { text, params: c.params };
    single.set(selection, found);
  }
  return found;
}

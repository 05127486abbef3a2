import { pageArguments, pageVariables } from "../../rest/list-arguments.js";
import {
  defineRoute,
  objectSchema,
  propertiesOf,
  withLowerCaseRoles,
  withLowerCaseRolesSchema,
} from "../../rest/route.js";

const profileFields = "firstName lastName email phoneNumber";

export const userRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/users",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id ${profileFields} } }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/users/profile",
    casing: "pascal",
    operation: `query Profile { profile { ${profileFields} } }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/users/exists",
    casing: "pascal",
    operation: `query UserExists($email: String!) { userExists(email: $email) }`,
    respond: (data) => ({ body: { userExists: data.userExists } }),
    responseSchema: (data) => objectSchema({ userExists: data.userExists! }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/users/organizations",
    casing: "pascal",
    operation: `query MyOrganizations { myOrganizations { organizationId: id name slug identityOrganizationId } }`,
    respond: (data) => ({ body: { organizations: data.myOrganizations } }),
    responseSchema: (data) => objectSchema({ organizations: data.myOrganizations! }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/organizations/users",
    casing: "pascal",
    operation: `query OrganizationUsers(${pageVariables("OrganizationUserSortField")}) {
      organizationUsers(${pageArguments}) {
        items { id firstName lastName email roles pending } totalCount pageNumber pageSize
      }
    }`,
    respond: (data) => {
      const { items, totalCount, pageNumber, pageSize } = data.organizationUsers as Record<string, unknown>;
      return { body: { data: withLowerCaseRoles(items), totalCount, pageNumber, pageSize } };
    },
    responseSchema: (data) => {
      const { items, totalCount, pageNumber, pageSize } = propertiesOf(data.organizationUsers);
      return objectSchema({
        data: withLowerCaseRolesSchema(items!),
        totalCount: totalCount!,
        pageNumber: pageNumber!,
        pageSize: pageSize!,
      });
    },
  }),
];

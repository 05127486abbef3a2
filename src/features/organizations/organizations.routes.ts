import {
  bareList,
  defineRoute,
  objectSchema,
  propertiesOf,
  successBody,
  withLowerCaseRoles,
  withLowerCaseRolesSchema,
} from "../../rest/route.js";

const organizationFields = `organizationId: id identityOrganizationId name slug billingAddress1 billingAddress2 billingCity
  billingStateProvince billingPostalCode billingCountry phoneNumber email website defaultPriceTier`;

export const organizationRoutes = [
  defineRoute({
    method: "POST",
    path: "/api/organizations",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation CreateOrganization($input: CreateOrganizationInput!) {
      createOrganization(input: $input) { organizationId: id identityOrganizationId name slug }
    }`,
  }),
  defineRoute({
    method: "GET",
    path: "/api/organization",
    casing: "pascal",
    // The document answers 400, not 404, when the token's organization cannot be found.
    statusFor: { NOT_FOUND: 400 },
    operation: `query Organization {
      organization { ${organizationFields}
        subscriptions { id planCode status quantity currentPeriodEnd }
        entitlements { code name limit } }
    }`,
    respond: (data) => {
      const { subscriptions, entitlements, ...organization } = data.organization as Record<string, unknown>;
      return { body: { organization, subscriptions, entitlements } };
    },
    responseSchema: (data) => {
      const { subscriptions, entitlements, ...organization } = propertiesOf(data.organization);
      return objectSchema({
        organization: objectSchema(organization),
        subscriptions: subscriptions!,
        entitlements: entitlements!,
      });
    },
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/organization",
    casing: "pascal",
    bodyAs: "input",
    operation: `mutation UpdateOrganization($input: UpdateOrganizationInput!) {
      updateOrganization(input: $input) { ${organizationFields} }
    }`,
    respond: (data) => ({ body: { organization: data.updateOrganization } }),
    responseSchema: (data) => objectSchema({ organization: data.updateOrganization! }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/organizations/users/admins",
    casing: "pascal",
    operation: `query OrganizationAdmins { organizationAdmins { id email firstName lastName roles pending } }`,
    respond: (data) => bareList(withLowerCaseRoles(data.organizationAdmins)),
    responseSchema: (data) => withLowerCaseRolesSchema(data.organizationAdmins!),
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/users/admins",
    casing: "pascal",
    operation: `mutation AssignOrganizationAdmin($email: String!) { assignOrganizationAdmin(email: $email) { id } }`,
    respond: successBody,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/users/admins",
    casing: "pascal",
    operation: `mutation RemoveOrganizationAdmin($userId: String!) { removeOrganizationAdmin(userId: $userId) { id } }`,
    respond: successBody,
  }),
];

import {
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from "graphql";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeAccess, type Access } from "../src/auth/access.js";
import { builtInBuyerRoles, permissionsOfRoles, type Permission } from "../src/auth/permissions.js";
import type { Role } from "../src/auth/roles.js";
import { features } from "../src/features/index.js";
import { statusForCode } from "../src/rest/problem.js";
import type { RestRoute } from "../src/rest/route.js";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { claims, password, unique, uniqueEmail } from "./support/seed.js";
import { tenantSnapshot } from "./support/tenant-rows.js";

/**
 * Every tenant-scoped operation, over GraphQL and over each REST route that runs it, attacked by
 * every kind of caller that must not reach the target organization's data. Expectations follow
 * from each field's rule and each attacker's standing; only the arguments are written per field.
 */

interface Fixture {
  target: Organization;
  other: Organization;
  customer: { userId: string; email: string; customerNumber: string; customerId: string; companyName: string };
  rep: { userId: string; email: string; organizationSalesRepId: string; repNumber: string };
  priceTier: string;
  /** The key of the target's sales-rep role. */
  salesRepRole: string;
  slug: string;
  /** A registered account of a third organization. */
  bystander: string;
  tokens: Record<string, string>;
  /** The target's API client, webhook endpoint and one of its deliveries. */
  apiClientId: string;
  /** A custom seller role of the target, held by nobody. */
  roleKey: string;
  webhookEndpointId: string;
  webhookDeliveryId: string;
  /** An invitation of the target, and the address it went to. */
  invitationId: string;
  invitee: string;
}

/** A caller: its token, and which organization it stands in with which roles held now. */
interface Attacker {
  name: string;
  token: (fx: Fixture) => string | undefined;
  /**
   * Unset: the token is missing or invalid. `permissions` when its roles' built-in sets do not say
   * what it holds; `otherCustomer`: a buyer of the target whose reach is another customer.
   */
  standing?: { organization: "target" | "other"; roles: Role[]; permissions?: Permission[]; otherCustomer?: boolean };
}

/** Adding a kind of attacker is one entry here. */
const attackers: Attacker[] = [
  { name: "no token", token: () => undefined },
  { name: "forged token (another key)", token: (fx) => fx.tokens.forged },
  {
    name: "another organization's admin",
    token: (fx) => fx.other.adminToken,
    standing: { organization: "other", roles: ["Admin"] },
  },
  { name: "a customer", token: (fx) => fx.tokens.customer, standing: { organization: "target", roles: ["Customer"] } },
  { name: "a sales rep", token: (fx) => fx.tokens.rep, standing: { organization: "target", roles: ["SalesRep"] } },
  {
    name: "another customer's customer admin",
    token: (fx) => fx.tokens.otherCustomerAdmin,
    standing: {
      organization: "target",
      roles: ["Customer"],
      permissions: [...builtInBuyerRoles["customer-admin"].permissions],
      otherCustomer: true,
    },
  },
  {
    name: "a deactivated sales rep",
    token: (fx) => fx.tokens.deactivatedRep,
    standing: { organization: "target", roles: [] },
  },
];

type Args = Record<string, unknown>;
/**
 * `public`: not tenant-scoped (no token needed), listed so that the table stays complete. `own`:
 * any user's token, acting on that user's own account in no organization (sessions.test.ts and
 * passwords.test.ts prove it reaches nobody else's).
 */
type Probe = "public" | "own" | ((fx: Fixture) => Args);

/** Arguments aimed at the target organization's rows, for every root field. */
const probes: Record<string, Probe> = {
  signIn: "public",
  acceptInvitation: "public",
  leaveOrganization: "public",
  createOrganization: "public",
  userExists: "public",
  signOut: "own",
  changePassword: "own",
  requestPasswordReset: "public",
  resetPassword: "public",
  access: (fx) => ({ identityOrganizationId: fx.target.identityOrganizationId }),
  organization: () => ({}),
  updateOrganization: () => ({ input: { name: unique("Renamed"), billingCity: "Nowhere" } }),
  organizationAdmins: () => ({}),
  // Any registered account may be made an admin by e-mail (by design): the probe uses a bystander's.
  assignOrganizationAdmin: (fx) => ({ email: fx.bystander }),
  removeOrganizationAdmin: (fx) => ({ userId: fx.target.admin.userId }),
  organizationUsers: () => ({ pageSize: 100 }),
  removeOrganizationUser: (fx) => ({ userId: fx.customer.userId }),
  invitations: () => ({ pageSize: 100 }),
  resendInvitation: (fx) => ({ id: fx.invitationId }),
  revokeInvitation: (fx) => ({ id: fx.invitationId }),
  createUser: () => ({ input: { firstName: "Eve", lastName: "Intruder", email: uniqueEmail("eve"), password } }),
  profile: () => ({}),
  myOrganizations: () => ({}),
  priceTiers: () => ({}),
  createPriceTier: (fx) => ({ name: fx.priceTier, currencyCode: "EUR" }),
  updatePriceTier: (fx) => ({ oldName: fx.priceTier, newName: unique("Tier"), currencyCode: "EUR" }),
  deletePriceTier: (fx) => ({ name: fx.priceTier }),
  customers: () => ({ pageSize: 100 }),
  customer: (fx) => ({ customerNumber: fx.customer.customerNumber }),
  upsertCustomer: (fx) => ({ input: { customerNumber: fx.customer.customerNumber, companyName: "Hijacked" } }),
  upsertCustomers: (fx) => ({
    input: [{ customerNumber: fx.customer.customerNumber, companyName: "Hijacked", parentCustomerNumber: null }],
  }),
  myCustomer: () => ({}),
  customerAddresses: (fx) => ({ customerNumber: fx.customer.customerNumber }),
  upsertCustomerAddresses: (fx) => ({
    customerNumber: fx.customer.customerNumber,
    addresses: [{ addressNumber: "A1", type: "BILLING", line1: "Hijacked", city: "Nowhere", country: "US" }],
  }),
  deleteCustomerAddress: (fx) => ({ customerNumber: fx.customer.customerNumber, addressNumber: "A1" }),
  associateUserCustomer: (fx) => ({ userId: fx.customer.userId, customerNumber: fx.customer.customerNumber }),
  dissociateUserCustomer: (fx) => ({ userId: fx.customer.userId, customerNumber: fx.customer.customerNumber }),
  userCustomerAssociations: () => ({ pageSize: 100 }),
  customerAssociation: (fx) => ({ userId: fx.customer.userId }),
  customerAssociations: (fx) => ({ userId: fx.customer.userId }),
  organizationSalesReps: () => ({ pageSize: 100 }),
  mySalesRepOrganizations: () => ({}),
  mySalesRepCustomers: () => ({ pageSize: 100 }),
  addSalesRep: (fx) => ({
    input: { email: uniqueEmail("eve-rep"), firstName: "Eve", lastName: "Intruder", repNumber: fx.rep.repNumber },
  }),
  updateSalesRepNumber: (fx) => ({ organizationSalesRepId: fx.rep.organizationSalesRepId, repNumber: "HIJACKED" }),
  activateSalesRep: (fx) => ({ organizationSalesRepId: fx.rep.organizationSalesRepId }),
  deactivateSalesRep: (fx) => ({ organizationSalesRepId: fx.rep.organizationSalesRepId }),
  removeSalesRep: (fx) => ({ organizationSalesRepId: fx.rep.organizationSalesRepId }),
  setSalesRepAccess: (fx) => ({
    input: { organizationSalesRepId: fx.rep.organizationSalesRepId, accessType: "ALL" },
  }),
  salesRepRoles: () => ({}),
  createSalesRepRole: (fx) => ({
    input: { key: fx.salesRepRole, name: "Eve", scope: { any: [{ customerNumbers: ["EVE-1"] }] } },
  }),
  updateSalesRepRole: (fx) => ({
    key: fx.salesRepRole,
    input: { scope: { any: [{ customerNumbers: ["EVE-1"] }] } },
  }),
  deleteSalesRepRole: (fx) => ({ key: fx.salesRepRole }),
  apiClients: () => ({}),
  createApiClient: () => ({ input: { name: unique("Eve client"), roles: ["Admin"] } }),
  revokeApiClient: (fx) => ({ id: fx.apiClientId }),
  setApiClientRoles: (fx) => ({ id: fx.apiClientId, roles: [fx.roleKey] }),
  roles: () => ({}),
  createRole: () => ({
    input: { key: unique("eve"), name: "Eve", permissions: ["audit.read"], side: "SELLER" },
  }),
  updateRole: (fx) => ({ key: fx.roleKey, input: { name: "Hijacked" } }),
  deleteRole: (fx) => ({ key: fx.roleKey }),
  setUserRoles: (fx) => ({ userId: fx.customer.userId, roles: [fx.roleKey] }),
  setCustomerUserRoles: (fx) => ({
    userId: fx.customer.userId,
    customerNumber: fx.customer.customerNumber,
    roles: ["customer-admin"],
  }),
  myCustomerUsers: () => ({}),
  // An address already of the target's customer: pulling it over must fail for everyone.
  inviteCustomerUser: (fx) => ({ input: { email: fx.customer.email, firstName: "Eve", roles: ["buyer"] } }),
  setMyCustomerUserRoles: (fx) => ({ userId: fx.customer.userId, roles: ["customer-admin"] }),
  removeMyCustomerUser: (fx) => ({ userId: fx.customer.userId }),
  // Filtered to one operation: an outsider's own trail records the target's ids its probes carried.
  auditEvents: () => ({ pageSize: 100, operation: "updateOrganization" }),
  webhookEndpoints: () => ({}),
  createWebhookEndpoint: () => ({ input: { url: "http://127.0.0.1:9/eve", eventTypes: ["customer.upserted"] } }),
  updateWebhookEndpoint: (fx) => ({ id: fx.webhookEndpointId, input: { url: "http://127.0.0.1:9/hijacked" } }),
  deleteWebhookEndpoint: (fx) => ({ id: fx.webhookEndpointId }),
  webhookDeliveries: (fx) => ({ endpointId: fx.webhookEndpointId, pageSize: 100 }),
  replayWebhookDelivery: (fx) => ({ id: fx.webhookDeliveryId }),
  createSalesRep: (fx) => ({
    input: {
      email: uniqueEmail("eve-rep"),
      firstName: "Eve",
      salesRepCompanies: [{ company: fx.target.organizationId, customers: [fx.customer.customerId] }],
    },
  }),
};

/** Every REST route, by method and path; a new one must be added here (its field needs a probe). */
const restRoutes = [
  "POST /api/auth/sign-in",
  "POST /api/auth/access",
  "POST /api/auth/sign-out",
  "POST /api/auth/password",
  "POST /api/auth/password-reset",
  "POST /api/auth/password-reset/confirm",
  "POST /api/auth/invitations/accept",
  "POST /api/organizations",
  "GET /api/organization",
  "PATCH /api/organization",
  "GET /api/organizations/users/admins",
  "POST /api/organizations/users/admins",
  "DELETE /api/organizations/users/admins",
  "POST /api/organizations/users/associate-customer",
  "DELETE /api/organizations/users/associate-customer",
  "DELETE /api/organizations/users",
  "POST /api/auth/memberships/leave",
  "GET /api/organizations/invitations",
  "POST /api/organizations/invitations/:id/resend",
  "DELETE /api/organizations/invitations/:id",
  "GET /api/organizations/users/associations",
  "GET /api/organizations/users",
  "POST /api/organizations/price-tiers",
  "PUT /api/organizations/price-tiers",
  "DELETE /api/organizations/price-tiers",
  "GET /api/organizations/price-tiers",
  "PUT /api/customers",
  "GET /api/customers",
  "GET /api/customers/:customerNumber",
  "PUT /api/customers/batch",
  "PUT /api/customers/:customerNumber/addresses",
  "GET /api/customers/:customerNumber/addresses",
  "DELETE /api/customers/:customerNumber/addresses/:addressNumber",
  "POST /api/users",
  "GET /api/users/profile",
  "GET /api/users/exists",
  "GET /api/users/organizations",
  "GET /api/users/customer-association",
  "GET /api/users/customer-associations",
  "GET /api/salesreps/organizations",
  "GET /api/salesreps/customers",
  "GET /api/organizations/salesreps",
  "PUT /api/organizations/salesreps",
  "PATCH /api/organizations/salesreps",
  "POST /api/organizations/salesreps/activate",
  "POST /api/organizations/salesreps/deactivate",
  "DELETE /api/organizations/salesreps",
  "PATCH /api/organizations/salesreps/access",
  "GET /api/organizations/sales-rep-roles",
  "POST /api/organizations/sales-rep-roles",
  "PATCH /api/organizations/sales-rep-roles/:key",
  "DELETE /api/organizations/sales-rep-roles/:key",
  "POST /api/salesRep",
  "POST /api/organizations/api-clients",
  "GET /api/organizations/api-clients",
  "DELETE /api/organizations/api-clients",
  "PUT /api/organizations/api-clients/roles",
  "GET /api/organizations/roles",
  "POST /api/organizations/roles",
  "PATCH /api/organizations/roles/:key",
  "DELETE /api/organizations/roles/:key",
  "PUT /api/organizations/users/roles",
  "PUT /api/organizations/users/customer-roles",
  "GET /api/customer/users",
  "POST /api/customer/users",
  "PUT /api/customer/users/roles",
  "DELETE /api/customer/users",
  "GET /api/organizations/audit-events",
  "GET /api/organizations/webhooks",
  "POST /api/organizations/webhooks",
  "PATCH /api/organizations/webhooks/:id",
  "DELETE /api/organizations/webhooks/:id",
  "GET /api/organizations/webhooks/:endpointId/deliveries",
  "POST /api/organizations/webhooks/deliveries/:id/replay",
];

const rootRules = features.flatMap((feature) =>
  (["Query", "Mutation"] as const).flatMap((type) =>
    Object.entries(feature.access[type] ?? {}).map(([field, access]) => ({
      type,
      field,
      access,
      ruleName: describeAccess(access),
    })),
  ),
);
const routes = features.flatMap((feature) => feature.routes);
const routeKey = (route: RestRoute) => `${route.method} ${route.path}`;

function rootFieldOf(route: RestRoute): {
  operation: OperationDefinitionNode;
  field: string;
  argFor: Map<string, string>;
} {
  const operation = parse(route.operation).definitions[0] as OperationDefinitionNode;
  const selection = operation.selectionSet.selections[0]!;
  if (selection.kind !== "Field") throw new Error(`${routeKey(route)}: first selection is not a field`);
  // Variable name → the argument it feeds, so the field's probe arguments bind to the route.
  const argFor = new Map<string, string>();
  for (const argument of selection.arguments ?? []) {
    if (argument.value.kind === "Variable") argFor.set(argument.value.name.value, argument.name.value);
  }
  return { operation, field: selection.name.value, argFor };
}

type Outcome = 401 | 403 | "member" | "foreign";

/** What the field's declaration lets the attacker do, from the permissions its standing holds. */
function expectedOutcome(access: Access, attacker: Attacker): Outcome {
  const standing = attacker.standing;
  if (!standing) return 401;
  if (access.kind === "anyone") throw new Error("public fields are not probed");
  if (access.kind === "signedIn" || access.kind === "member") {
    return standing.organization === "target" && standing.roles.length > 0 ? "member" : 403;
  }
  const held = new Set(standing.permissions ?? permissionsOfRoles(standing.roles));
  if (!access.anyOf.some((permission) => held.has(permission))) return 403;
  return standing.organization === "target" && !standing.otherCustomer ? "member" : "foreign";
}

const codeForStatus = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN" } as const;

let kit: TestKit;
let client: Client;
let fx: Fixture;
let attempts = 0;

async function addUserWithPassword(org: Organization) {
  const email = uniqueEmail("member");
  const created = await client.post("/api/users", {
    token: org.adminToken,
    body: { FirstName: "Mem", LastName: "Ber", Email: email, Password: password },
  });
  if (created.status !== 200) throw new Error(`create user failed: ${created.status} ${created.text}`);
  return { userId: created.body.Id as string, email };
}

async function addRepWithPassword(org: Organization, repNumber: string) {
  const user = await addUserWithPassword(org);
  const added = await client.put("/api/organizations/salesreps", {
    token: org.adminToken,
    body: { email: user.email, firstName: "Rep", lastName: "Resentative", repNumber },
  });
  if (added.status !== 200) throw new Error(`add rep failed: ${added.status} ${added.text}`);
  const token = await org.tokenFor(user.email);
  return { ...user, organizationSalesRepId: added.body.organizationSalesRepId as string, repNumber, token };
}

beforeAll(async () => {
  kit = await testKit({
    mailWorker: false,
    env: { WEBHOOK_ALLOW_PRIVATE_URLS: "true", WEBHOOK_ALLOW_HTTP: "true" },
  });
  client = kit.client;
  const target = await kit.organization(unique("Target Org"));
  const other = await kit.organization(unique("Other Org"));
  const bystander = (await kit.organization(unique("Bystander Org"))).admin.email;
  const priceTier = unique("Gold");
  const tier = await client.post("/api/organizations/price-tiers", {
    token: target.adminToken,
    body: { Name: priceTier, CurrencyCode: "USD" },
  });
  expect(tier.status).toBe(200);
  const rep = await addRepWithPassword(target, unique("R"));
  const deactivated = await addRepWithPassword(target, unique("R"));
  const off = await client.post("/api/organizations/salesreps/deactivate", {
    token: target.adminToken,
    body: { organizationSalesRepId: deactivated.organizationSalesRepId },
  });
  expect(off.status).toBe(200);
  const customer = await target.customer({ repNumber: rep.repNumber, pricing: priceTier });
  const salesRepRole = unique("territory").toLowerCase();
  const role = await client.post("/api/organizations/sales-rep-roles", {
    token: target.adminToken,
    body: { Key: salesRepRole, Name: "Territory", Scope: { Any: [{ Attribute: "territory", Equals: "Northeast" }] } },
  });
  expect(role.status).toBe(201);
  // Held by the deactivated rep, so that deleting it is refused even to the target's own admin.
  const held = await client.patch("/api/organizations/salesreps/access", {
    token: target.adminToken,
    body: { organizationSalesRepId: deactivated.organizationSalesRepId, accessType: "role", salesRepRole },
  });
  expect(held.status).toBe(200);
  const address = await client.put(`/api/customers/${customer.customerNumber}/addresses`, {
    token: target.adminToken,
    body: { addresses: [{ addressNumber: "A1", type: "shipping", line1: "1 Dock Rd", city: "Miami", country: "US" }] },
  });
  expect(address.status).toBe(200);
  const customerUser = await addUserWithPassword(target);
  await target.associate(customerUser.userId, customer.customerNumber);
  const customerToken = await target.tokenFor(customerUser.email);

  // A customer admin of another customer of the target organization.
  const otherCustomer = await target.customer();
  const otherUser = await addUserWithPassword(target);
  await target.associate(otherUser.userId, otherCustomer.customerNumber);
  const promoted = await client.put("/api/organizations/users/customer-roles", {
    token: target.adminToken,
    body: { UserId: otherUser.userId, CustomerNumber: otherCustomer.customerNumber, Roles: ["customer-admin"] },
  });
  expect(promoted.status).toBe(200);
  const otherCustomerAdmin = await target.tokenFor(otherUser.email);

  // The real token's claims and key id, a fresh jti, signed with a key the gateway never saw.
  const forged = await kit.tokens.forged(claims(target.adminToken), {
    keyId: decodeProtectedHeader(target.adminToken).kid,
  });
  const organization = await client.get("/api/organization", { token: target.adminToken });
  const apiClient = await client.post("/api/organizations/api-clients", {
    token: target.adminToken,
    body: { Name: "ERP", Roles: ["Admin"] },
  });
  expect(apiClient.status).toBe(200);
  const customRole = await client.post("/api/organizations/roles", {
    token: target.adminToken,
    body: { Key: unique("auditor"), Name: "Auditor", Permissions: ["audit.read"], Side: "seller" },
  });
  expect(customRole.status).toBe(201);
  const endpoint = await client.post("/api/organizations/webhooks", {
    token: target.adminToken,
    body: { Url: "http://127.0.0.1:9/target", EventTypes: ["price_tier.created"] },
  });
  expect(endpoint.status).toBe(201);
  // An event for the endpoint, so that it has a delivery to list and replay.
  await client.post("/api/organizations/price-tiers", {
    token: target.adminToken,
    body: { Name: unique("Silver"), CurrencyCode: "USD" },
  });
  const deliveries = await client.get(`/api/organizations/webhooks/${endpoint.body.Id}/deliveries`, {
    token: target.adminToken,
  });
  expect(deliveries.body.Data.length).toBeGreaterThan(0);
  // A user without a password is invited: the target then has an invitation to list, resend and revoke.
  const invitee = uniqueEmail("invitee");
  const invited = await client.post("/api/users", {
    token: target.adminToken,
    body: { FirstName: "In", LastName: "Vitee", Email: invitee },
  });
  expect(invited.status).toBe(200);
  const invitationList = await client.get("/api/organizations/invitations", { token: target.adminToken });
  expect(invitationList.body.Data).toHaveLength(1);

  fx = {
    target,
    other,
    customer: { ...customerUser, ...customer, customerId: customer.id },
    rep,
    priceTier,
    salesRepRole,
    slug: organization.body.Organization.Slug,
    bystander,
    tokens: {
      forged,
      customer: customerToken,
      rep: rep.token,
      deactivatedRep: deactivated.token,
      otherCustomerAdmin,
    },
    apiClientId: apiClient.body.Id,
    roleKey: customRole.body.Key,
    webhookEndpointId: endpoint.body.Id,
    webhookDeliveryId: deliveries.body.Data[0].Id,
    invitationId: invitationList.body.Data[0].Id,
    invitee,
  };
});
afterAll(async () => {
  await kit?.close();
  console.log(
    `tenant isolation: ${Object.values(probes).filter((probe) => typeof probe === "function").length} tenant-scoped fields, ` +
      `${routes.length} routes, ${attackers.length} attacker kinds, ${attempts} attempts`,
  );
});

/** What of the target must never appear in an answer to an outsider (unless the request carried it). */
function secrets(): string[] {
  return [
    fx.target.organizationId,
    fx.target.identityOrganizationId,
    fx.target.name,
    fx.slug,
    fx.target.admin.email,
    fx.target.admin.userId,
    fx.customer.customerNumber,
    fx.customer.customerId,
    fx.customer.companyName,
    fx.customer.email,
    fx.customer.userId,
    fx.priceTier,
    fx.salesRepRole,
    fx.rep.email,
    fx.rep.userId,
    fx.rep.organizationSalesRepId,
    fx.rep.repNumber,
    fx.invitationId,
    fx.invitee,
    fx.roleKey,
  ];
}

function expectNoLeak(label: string, request: string, answer: string) {
  for (const secret of secrets()) {
    if (request.toLowerCase().includes(secret.toLowerCase())) continue;
    expect(answer.toLowerCase(), `${label} leaks ${secret}`).not.toContain(secret.toLowerCase());
  }
}

function selectionFor(field: GraphQLField<unknown, unknown>, depth = 0): string {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return "";
  if (!isObjectType(type) || depth > 2) return "{ __typename }";
  const parts = Object.values((type as GraphQLObjectType).getFields())
    .filter((child) => !child.args.some((arg) => isNonNullType(arg.type)))
    // A page or a list inside a page's items (a customer's children, ancestors and addresses) would
    // multiply past the operation cost limit; the root field of each is probed on its own.
    .filter((child) => !child.args.some((arg) => arg.name === "pageSize"))
    .filter((child) => depth < 1 || isLeafType(getNamedType(child.type)) || !isListType(getNullableType(child.type)))
    .map((child) => `${child.name} ${selectionFor(child, depth + 1)}`);
  return `{ __typename ${parts.join(" ")} }`;
}

function graphqlDocument(type: "Query" | "Mutation", name: string, args: Args): string {
  const field = (
    type === "Query" ? kit.server.schema.getQueryType() : kit.server.schema.getMutationType()
  )!.getFields()[name]!;
  const used = field.args.filter((arg) => arg.name in args);
  const variables = used.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(", ");
  const passed = used.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  return `${type === "Query" ? "query" : "mutation"}${variables ? ` (${variables})` : ""} { ${name}${
    passed ? `(${passed})` : ""
  } ${selectionFor(field)} }`;
}

function restRequest(route: RestRoute, args: Args) {
  const { argFor } = rootFieldOf(route);
  const values: Args = {};
  for (const [variable, argument] of argFor) if (argument in args) values[variable] = args[argument];
  let path = route.path;
  for (const [name, value] of Object.entries(values)) {
    if (path.includes(`:${name}`)) {
      path = path.replace(`:${name}`, encodeURIComponent(String(value)));
      delete values[name];
    }
  }
  if (route.method === "GET") {
    const query = Object.fromEntries(
      Object.entries(values).filter(([, value]) => typeof value === "string" || typeof value === "number"),
    ) as Record<string, string | number>;
    return { path, options: { query } };
  }
  return { path, options: { body: route.bodyAs ? values[route.bodyAs] : values } };
}

describe("the expectation table", () => {
  it("has a probe for every root field and lists every REST route, and nothing else", () => {
    expect(Object.keys(probes).sort()).toEqual(rootRules.map((root) => root.field).sort());
    expect([...restRoutes].sort()).toEqual(routes.map(routeKey).sort());
  });

  it("lists as public exactly the fields declared open to anyone, each rate limited", () => {
    for (const root of rootRules) {
      expect(probes[root.field] === "public", `${root.field} is listed as public`).toBe(root.access.kind === "anyone");
      if (root.access.kind === "anyone") expect(root.access.rateLimit, root.field).toBeDefined();
    }
  });
});

describe.each(
  rootRules
    .filter((root) => typeof probes[root.field] === "function")
    .map((root) => [`${root.type}.${root.field} (${root.ruleName})`, root] as const),
)("%s", (_label, { type, field, access }) => {
  it("refuses every outsider over GraphQL and REST, shows it nothing of the target and changes none of its rows", async () => {
    const probe = probes[field] as (fx: Fixture) => Args;
    const before = await tenantSnapshot(kit.server.database.db, fx.target.organizationId);
    const fieldRoutes = routes.filter((route) => rootFieldOf(route).field === field);

    for (const attacker of attackers) {
      const outcome = expectedOutcome(access, attacker);
      const token = attacker.token(fx);
      const label = `${field} by ${attacker.name}`;

      const args = probe(fx);
      const query = graphqlDocument(type, field, args);
      const gql = await client.post("/graphql", { body: { query, variables: args }, token });
      attempts++;
      const codes = ((gql.body?.errors ?? []) as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
      expect(codes, `${label} (GraphQL): ${gql.text}`).not.toContain("INTERNAL_SERVER_ERROR");
      expect(gql.status, `${label} (GraphQL)`).toBeLessThan(500);
      if (outcome === 401 || outcome === 403) {
        expect(codes, `${label} (GraphQL): ${gql.text}`).toContain(codeForStatus[outcome]);
        expect(gql.body?.data?.[field] ?? null, `${label} (GraphQL) data`).toBeNull();
      }
      if (outcome !== "member") expectNoLeak(`${label} (GraphQL)`, JSON.stringify(args), gql.text);

      for (const route of fieldRoutes) {
        const { path, options } = restRequest(route, probe(fx));
        const rest = await client.request(route.method, path, { ...options, token });
        attempts++;
        const restLabel = `${label} (${routeKey(route)})`;
        expect(rest.status, `${restLabel}: ${rest.text}`).toBeLessThan(500);
        if (outcome === 401 || outcome === 403) {
          const code = codeForStatus[outcome];
          expect(rest.status, `${restLabel}: ${rest.text}`).toBe(route.statusFor?.[code] ?? statusForCode[code]);
        }
        if (outcome !== "member") {
          expectNoLeak(restLabel, `${path} ${JSON.stringify(options)}`, rest.text);
        }
      }
    }

    expect(await tenantSnapshot(kit.server.database.db, fx.target.organizationId), `${field}: target rows`).toEqual(
      before,
    );
  });
});

/**
 * A typed GraphQL client of the gateway, as a front end would write one: documents typed by the
 * graphql-codegen client preset (see codegen.ts), sent with plain fetch. It signs up an
 * organization, gets an access token, adds a price tier and a sales rep, deactivates the rep and
 * lists the organization's reps. Run it with `npm run example:typed` (BASE_URL, default
 * http://localhost:4000); any error ends it with a non-zero exit code.
 */
import { graphql } from "./gql/index.js";
import type { TypedDocumentString } from "./gql/graphql.js";

const baseUrl = process.env.BASE_URL ?? "http://localhost:4000";

async function execute<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  token?: string,
): Promise<Result> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) {
    throw new Error(`${response.status}: ${body.errors?.map((error) => error.message).join("; ") ?? "no data"}`);
  }
  return body.data;
}

const CreateOrganization = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      id
      identityOrganizationId
      name
    }
  }
`);

const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      accessToken
    }
  }
`);

const Access = graphql(`
  mutation Access($identityOrganizationId: String!) {
    access(identityOrganizationId: $identityOrganizationId) {
      accessToken
    }
  }
`);

const CreatePriceTier = graphql(`
  mutation CreatePriceTier($name: String!, $currencyCode: String!) {
    createPriceTier(name: $name, currencyCode: $currencyCode) {
      id
      name
      currencyCode
    }
  }
`);

const AddSalesRep = graphql(`
  mutation AddSalesRep($input: AddSalesRepInput!) {
    addSalesRep(input: $input) {
      id
      repNumber
      active
      accessType
    }
  }
`);

const DeactivateSalesRep = graphql(`
  mutation DeactivateSalesRep($organizationSalesRepId: String!) {
    deactivateSalesRep(organizationSalesRepId: $organizationSalesRepId) {
      id
      active
    }
  }
`);

const OrganizationSalesReps = graphql(`
  query OrganizationSalesReps($sortOn: SalesRepSortField, $sortDirection: SortDirection) {
    organizationSalesReps(sortOn: $sortOn, sortDirection: $sortDirection) {
      totalCount
      items {
        id
        repNumber
        email
        active
        salesRep {
          status
        }
      }
    }
  }
`);

async function main(): Promise<void> {
  const run = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const email = `typed-${run}@example.com`;
  const password = "Quiet-Harbor-Lantern-42";

  const { createOrganization: organization } = await execute(CreateOrganization, {
    input: {
      organization: { name: `Typed Client ${run}` },
      user: { firstName: "Tia", lastName: "Typed", email, password },
    },
  });
  const identity = (await execute(SignIn, { email, password })).signIn.accessToken;
  const token = (await execute(Access, { identityOrganizationId: organization.identityOrganizationId }, identity))
    .access.accessToken;

  const { createPriceTier: tier } = await execute(CreatePriceTier, { name: "Wholesale", currencyCode: "usd" }, token);
  const { addSalesRep: rep } = await execute(
    AddSalesRep,
    { input: { firstName: "Rae", lastName: "Rep", email: `rep-${run}@example.com`, repNumber: "R-1" } },
    token,
  );
  const { deactivateSalesRep: deactivated } = await execute(
    DeactivateSalesRep,
    { organizationSalesRepId: rep.id },
    token,
  );
  const { organizationSalesReps: reps } = await execute(
    OrganizationSalesReps,
    { sortOn: "REP_NUMBER", sortDirection: "DESC" },
    token,
  );

  const listed = reps.items.find((item) => item.id === rep.id);
  if (deactivated.active || !listed || listed.active || listed.salesRep.status !== "INACTIVE") {
    throw new Error(`The deactivated rep reads back as ${JSON.stringify(listed)}`);
  }
  console.log(
    JSON.stringify({
      organization: organization.name,
      priceTier: `${tier.name} (${tier.currencyCode})`,
      salesReps: reps.totalCount,
      rep: { repNumber: listed.repNumber, accessType: rep.accessType, status: listed.salesRep.status },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

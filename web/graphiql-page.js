// A portal page hands the Authorization header over in the URL fragment (never sent to a server,
// so never in a log or a Referer) or in localStorage; the fragment is cleared from the address bar
// at once.
const handoverKey = "gateway:authorization";
// The Headers editor as last edited. GraphiQL's own persistence (shouldPersistHeaders) restores only
// what was typed into the editor, not headers it was opened with, so the page keeps them too.
const headersKey = "gateway:graphiql-headers";

function handedOverAuthorization() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromFragment = fragment.get("authorization");
  if (fromFragment) {
    history.replaceState(null, "", location.pathname + location.search);
    return fromFragment;
  }
  const stored = localStorage.getItem(handoverKey);
  if (stored) localStorage.removeItem(handoverKey);
  return stored;
}

const defaultQuery = `# The B2B account gateway. Headers (below) needs {"Authorization": "Bearer <access token>"}:
# POST /api/auth/sign-in, then POST /api/auth/access, or the developer portal at /sign-in.
# The run button asks which of these operations to run.

query Organization {
  organization {
    id
    name
    slug
  }
}

query Customers {
  customers(pageSize: 10, sortOn: COMPANY_NAME, sortDirection: ASC) {
    items {
      customerNumber
      companyName
    }
    totalCount
    pageNumber
    totalPages
  }
}

mutation CreatePriceTier {
  createPriceTier(name: "Wholesale", currencyCode: "USD") {
    name
    currencyCode
  }
}
`;

const authorization = handedOverAuthorization();
const headers = authorization
  ? JSON.stringify({ Authorization: authorization }, null, 2)
  : (localStorage.getItem(headersKey) ?? undefined);
if (headers) localStorage.setItem(headersKey, headers);

// The same-origin endpoint; a JSON POST passes Apollo's CSRF prevention.
const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: "headers",
    ...(headers ? { headers } : {}),
    onEditHeaders: (value) => localStorage.setItem(headersKey, value),
  }),
);

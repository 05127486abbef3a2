// The same-origin endpoint; a JSON POST passes Apollo's CSRF prevention.
const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: "headers" }),
);

// Apollo's hosted Sandbox needs to be told which endpoint to open: this server's /graphql.
for (const link of document.querySelectorAll("#sandbox")) {
  link.href =
    "https://studio.apollographql.com/sandbox/explorer?endpoint=" + encodeURIComponent(location.origin + "/graphql");
}

SwaggerUIBundle({
  dom_id: "#swagger-ui",
  // The same document as /openapi.json, from this server.
  url: "/docs/json",
  deepLinking: true,
  // Swagger UI would otherwise send the document to validator.swagger.io for a badge.
  validatorUrl: null,
});

import { bareList, defineRoute, emptyBody } from "../../rest/route.js";

/** The document answers these changes with 200 and an empty body. */
export const priceTierRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `query PriceTiers { priceTiers { id name currencyCode } }`,
    respond: (data) => bareList(data.priceTiers),
    responseSchema: (data) => data.priceTiers!,
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `mutation CreatePriceTier($name: String!, $currencyCode: String!) {
      createPriceTier(name: $name, currencyCode: $currencyCode) { id }
    }`,
    respond: emptyBody,
  }),
  defineRoute({
    method: "PUT",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `mutation UpdatePriceTier($oldName: String!, $newName: String!, $currencyCode: String) {
      updatePriceTier(oldName: $oldName, newName: $newName, currencyCode: $currencyCode) { id }
    }`,
    respond: emptyBody,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `mutation DeletePriceTier($name: String!) { deletePriceTier(name: $name) { deletedPriceTierId } }`,
    respond: emptyBody,
  }),
];

import { defineRoute } from "../../rest/route.js";

/** The document answers these changes with 200 and an empty body. */
const empty = () => ({});

export const priceTierRoutes = [
  defineRoute({
    method: "GET",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `query PriceTiers { priceTiers { id name currencyCode } }`,
    respond: (data) => {
      const tiers = data.priceTiers as unknown[];
      return { body: tiers, headers: { "x-total-count": String(tiers.length) } };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `mutation CreatePriceTier($name: String!, $currencyCode: String!) {
      createPriceTier(name: $name, currencyCode: $currencyCode) { id }
    }`,
    respond: empty,
  }),
  defineRoute({
    method: "PUT",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `mutation UpdatePriceTier($oldName: String!, $newName: String!, $currencyCode: String) {
      updatePriceTier(oldName: $oldName, newName: $newName, currencyCode: $currencyCode) { id }
    }`,
    respond: empty,
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/organizations/price-tiers",
    casing: "pascal",
    operation: `mutation DeletePriceTier($name: String!) { deletePriceTier(name: $name) }`,
    respond: empty,
  }),
];

import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { unique } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let acme: Organization;
let other: Organization;

beforeAll(async () => {
  kit = await testKit({ mailWorker: false });
  client = kit.client;
  [acme, other] = await Promise.all([kit.organization(), kit.organization()]);
});
afterAll(() => kit?.close());

const shipTo = {
  addressNumber: "SHIP-1",
  type: "shipping",
  companyName: "Acme Dock 4",
  contactName: "Pat Lee",
  line1: "1 Harbour Road",
  line2: "Unit 4",
  city: "Rotterdam",
  region: "ZH",
  postalCode: "3011 AA",
  country: "nl",
  phone: "+31 10 555 0100",
  isDefault: true,
  externalId: "erp-addr-1",
};
const billTo = { addressNumber: "BILL-1", type: "billing", line1: "2 Market St", city: "Miami", country: "US" };

const putAddresses = (customerNumber: string, addresses: unknown[], token = acme.adminToken) =>
  client.put(`/api/customers/${customerNumber}/addresses`, { token, body: { addresses } });

describe("customer addresses over REST", () => {
  it("upserts a batch, answers created, then unchanged on the same input, then updated", async () => {
    const { customerNumber } = await acme.customer();
    const first = await putAddresses(customerNumber, [shipTo, billTo]);
    expect(first.status, first.text).toBe(200);
    expect(first.body.customerNumber).toBe(customerNumber);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(["created", "created"]);
    expect(first.body.results[0].address).toMatchObject({ ...shipTo, country: "NL" });
    expect(first.body.results[1].address).toMatchObject({ ...billTo, isDefault: false, line2: null });

    const again = await putAddresses(customerNumber, [shipTo, billTo]);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(["unchanged", "unchanged"]);

    const changed = await putAddresses(customerNumber, [{ ...billTo, city: "Tampa" }]);
    expect(changed.body.results).toEqual([
      expect.objectContaining({
        addressNumber: "BILL-1",
        status: "updated",
        address: expect.objectContaining({ city: "Tampa" }),
      }),
    ]);

    const listed = await client.get(`/api/customers/${customerNumber}/addresses`, { token: acme.adminToken });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("x-total-count")).toBe("2");
    expect(listed.body.map((a: { addressNumber: string }) => a.addressNumber)).toEqual(["BILL-1", "SHIP-1"]);
  });

  it("keeps one default per type: a new default takes it from the old one", async () => {
    const { customerNumber } = await acme.customer();
    await putAddresses(customerNumber, [shipTo, { ...billTo, isDefault: true }]);
    await putAddresses(customerNumber, [{ ...shipTo, addressNumber: "SHIP-2", isDefault: true }]);
    const listed = await client.get(`/api/customers/${customerNumber}/addresses`, { token: acme.adminToken });
    const defaults = Object.fromEntries(
      listed.body.map((a: { addressNumber: string; isDefault: boolean }) => [a.addressNumber, a.isDefault]),
    );
    expect(defaults).toEqual({ "BILL-1": true, "SHIP-1": false, "SHIP-2": true });
    const both = await putAddresses(customerNumber, [
      { ...shipTo, addressNumber: "A", type: "both", isDefault: true },
      { ...shipTo, addressNumber: "B", isDefault: true },
    ]);
    expect(both.status).toBe(400);
    expect(both.body.errors).toHaveProperty("addresses[1].isDefault");
  });

  it("refuses a country that is not ISO 3166-1 alpha-2 and names every bad field", async () => {
    const { customerNumber } = await acme.customer();
    const result = await putAddresses(customerNumber, [{ ...billTo, country: "XX", city: "" }]);
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual({
      "addresses[0].country": "must be an ISO 3166-1 alpha-2 code such as US",
      "addresses[0].city": "is required",
    });
    const type = await putAddresses(customerNumber, [{ ...billTo, type: "home" }]);
    expect(type.status).toBe(400);
    expect(type.body.errors).toEqual({ "addresses[0].type": "must be one of shipping, billing, both" });
  });

  it("deletes an address, and answers 404 for an unknown one or another tenant's customer", async () => {
    const { customerNumber } = await acme.customer();
    await putAddresses(customerNumber, [shipTo]);
    const deleted = await client.delete(`/api/customers/${customerNumber}/addresses/SHIP-1`, {
      token: acme.adminToken,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ customerNumber, deletedAddressNumber: "SHIP-1" });
    const again = await client.delete(`/api/customers/${customerNumber}/addresses/SHIP-1`, {
      token: acme.adminToken,
    });
    expect(again.status).toBe(404);
    const foreign = await putAddresses(customerNumber, [shipTo], other.adminToken);
    expect(foreign.status).toBe(404);
    const foreignRead = await client.get(`/api/customers/${customerNumber}/addresses`, { token: other.adminToken });
    expect(foreignRead.status).toBe(404);
  });

  it("lets a customer read its own addresses only, and never change them", async () => {
    const user = await acme.customerUser();
    await putAddresses(user.customerNumber, [shipTo]);
    const own = await client.get(`/api/customers/${user.customerNumber}/addresses`, { token: user.token });
    expect(own.status).toBe(200);
    expect(own.body).toHaveLength(1);
    const { customerNumber: someoneElse } = await acme.customer();
    expect((await client.get(`/api/customers/${someoneElse}/addresses`, { token: user.token })).status).toBe(403);
    expect((await putAddresses(user.customerNumber, [shipTo], user.token)).status).toBe(403);
    const removal = await client.delete(`/api/customers/${user.customerNumber}/addresses/SHIP-1`, {
      token: user.token,
    });
    expect(removal.status).toBe(403);
  });
});

describe("customer addresses in GraphQL", () => {
  it("upserts and reads them through Customer.addresses", async () => {
    const { customerNumber } = await acme.customer();
    const upserted = await client.graphql(
      `mutation ($n: String!, $a: [CustomerAddressInput!]!) {
        upsertCustomerAddresses(customerNumber: $n, addresses: $a) { results { addressNumber status } } }`,
      { n: customerNumber, a: [{ ...billTo, type: "BILLING" }] },
      acme.adminToken,
    );
    expect(upserted.errors).toBeUndefined();
    expect(upserted.data.upsertCustomerAddresses.results).toEqual([{ addressNumber: "BILL-1", status: "CREATED" }]);
    const read = await client.graphql(
      `query ($n: String!) { customer(customerNumber: $n) { addresses { addressNumber type country isDefault } } }`,
      { n: customerNumber },
      acme.adminToken,
    );
    expect(read.data.customer.addresses).toEqual([
      { addressNumber: "BILL-1", type: "BILLING", country: "US", isDefault: false },
    ]);
    const removed = await client.graphql(
      `mutation ($n: String!) { deleteCustomerAddress(customerNumber: $n, addressNumber: "BILL-1") { deletedAddressNumber } }`,
      { n: customerNumber },
      acme.adminToken,
    );
    expect(removed.data.deleteCustomerAddress).toEqual({ deletedAddressNumber: "BILL-1" });
  });

  it("refuses an empty list and an unknown customer", async () => {
    const empty = await client.graphql(
      `mutation { upsertCustomerAddresses(customerNumber: "x", addresses: []) { customerNumber } }`,
      {},
      acme.adminToken,
    );
    expect(empty.codes).toEqual(["BAD_USER_INPUT"]);
    const unknown = await client.graphql(
      `mutation ($a: [CustomerAddressInput!]!) { upsertCustomerAddresses(customerNumber: "${unique("none")}", addresses: $a) { customerNumber } }`,
      { a: [{ ...billTo, type: "BILLING" }] },
      acme.adminToken,
    );
    expect(unknown.codes).toEqual(["NOT_FOUND"]);
  });
});

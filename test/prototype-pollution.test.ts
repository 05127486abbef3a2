import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { password } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let acme: Organization;
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const before = prototypeKeys();

beforeAll(async () => {
  kit = await testKit({ mailWorker: false });
  client = kit.client;
  acme = await kit.organization();
  await acme.customer();
  await acme.customer();
});

afterAll(async () => {
  await kit?.close();
});

/** Sends a query string as written: URLSearchParams would not leave `[`, `]` and `.` alone anyway, but this is what a hostile client types. */
function probe(method: string, pathAndQuery: string, token?: string, body?: unknown) {
  return client.request(method, pathAndQuery, { token, body });
}

describe("prototype pollution through REST parameter names", () => {
  // The eleven probes of the hostile run: each once changed Object.prototype for every later request.
  const probes: { name: string; method: string; path: string; parameter: string; auth: boolean; body?: unknown }[] = [
    {
      name: "exists, __proto__.pageSize",
      method: "GET",
      path: "/api/users/exists?Email=a@example.com&__proto__.pageSize=1",
      parameter: "__proto__.pageSize",
      auth: false,
    },
    {
      name: "exists, __proto__[pageSize]",
      method: "GET",
      path: "/api/users/exists?Email=a@example.com&__proto__[pageSize]=1",
      parameter: "__proto__[pageSize]",
      auth: false,
    },
    {
      name: "exists, constructor.prototype",
      method: "GET",
      path: "/api/users/exists?Email=a@example.com&constructor.prototype.pageSize=1",
      parameter: "constructor.prototype.pageSize",
      auth: false,
    },
    {
      name: "sign-in, __proto__.pageSize",
      method: "POST",
      path: "/api/auth/sign-in?__proto__.pageSize=1",
      parameter: "__proto__.pageSize",
      auth: false,
      body: { Email: "a@example.com", Password: password },
    },
    {
      name: "sign-in, constructor[prototype][pageSize]",
      method: "POST",
      path: "/api/auth/sign-in?constructor[prototype][pageSize]=1",
      parameter: "constructor[prototype][pageSize]",
      auth: false,
      body: { Email: "a@example.com", Password: password },
    },
    {
      name: "customers, __proto__.pageSize",
      method: "GET",
      path: "/api/customers?__proto__.pageSize=1",
      parameter: "__proto__.pageSize",
      auth: true,
    },
    {
      name: "customers, Filters[__proto__][pageSize]",
      method: "GET",
      path: "/api/customers?Filters[__proto__][pageSize]=1",
      parameter: "Filters[__proto__][pageSize]",
      auth: true,
    },
    {
      name: "customers, Filters[0][__proto__][x]",
      method: "GET",
      path: "/api/customers?Filters[0][__proto__][polluted]=1",
      parameter: "Filters[0][__proto__][polluted]",
      auth: true,
    },
    {
      name: "customers, constructor.prototype.x",
      method: "GET",
      path: "/api/customers?constructor.prototype.polluted=1",
      parameter: "constructor.prototype.polluted",
      auth: true,
    },
    {
      name: "organization's reps, __proto__[pageSize]",
      method: "GET",
      path: "/api/organizations/salesreps?__proto__[pageSize]=1",
      parameter: "__proto__[pageSize]",
      auth: true,
    },
    {
      name: "a rep's customers, Filters[__proto__][pageSize]",
      method: "GET",
      path: "/api/salesreps/customers?Filters[__proto__][pageSize]=1",
      parameter: "Filters[__proto__][pageSize]",
      auth: true,
    },
  ];

  for (const { name, method, path, parameter, auth, body } of probes) {
    it(`refuses ${name} with a 400 naming the parameter`, async () => {
      const result = await probe(method, path, auth ? acme.adminToken : undefined, body);
      expect(result.status).toBe(400);
      expect(result.headers.get("content-type")).toMatch(/application\/problem\+json/);
      expect(Object.keys(result.body.errors)).toEqual([
        expect.stringMatching(new RegExp(`^${parameter.slice(0, 4)}`, "i")),
      ]);
      expect(result.body.detail).toMatch(/reserved/);
      expect(prototypeKeys()).toEqual(before);
      expect(({} as Record<string, unknown>).pageSize).toBeUndefined();
    });
  }

  it("refuses reserved keys inside JSON bodies and JSON-encoded parameters", async () => {
    const constructorBody = await client.post("/api/auth/sign-in", {
      rawBody: '{"Email":"a@example.com","Password":"x","constructor":{"prototype":{"pageSize":1}}}',
    });
    expect(constructorBody.status).toBe(400);
    const protoBody = await client.post("/api/auth/sign-in", {
      rawBody: '{"Email":"a@example.com","Password":"x","__proto__":{"pageSize":1}}',
    });
    expect(protoBody.status).toBe(400);
    const jsonFilters = await client.get("/api/customers", {
      token: acme.adminToken,
      query: { Filters: '[{"__proto__":{"pageSize":1},"Field":"customerNumber","Operator":"contains","Value":"C"}]' },
    });
    expect(jsonFilters.status).toBe(400);
    expect(Object.keys(jsonFilters.body.errors)[0]).toMatch(/__proto__/);
    expect(prototypeKeys()).toEqual(before);
  });

  it("still pages every later list normally", async () => {
    const customers = await client.get("/api/customers", { token: acme.adminToken });
    expect(customers.status).toBe(200);
    expect(customers.body.data).toHaveLength(2);
    expect(customers.body.totalPages).toBe(1);

    const reps = await client.graphql(`{ organizationSalesReps { pageSize totalCount } }`, {}, acme.adminToken);
    expect(reps.errors).toBeUndefined();
    expect(reps.data.organizationSalesReps.pageSize).toBe(25);

    const filtered = await client.get(
      "/api/customers?Filters[0].Field=customerNumber&Filters[0].Operator=contains&Filters[0].Value=C",
      { token: acme.adminToken },
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.data).toHaveLength(2);
    expect(prototypeKeys()).toEqual(before);
  });
});

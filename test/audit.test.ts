import "reflect-metadata";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/features/audit/audit.tables.js";
import { users } from "../src/features/users/users.tables.js";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { unique, uniqueEmail, type SeededOrganization } from "./support/seed.js";
import type { TestServer } from "./support/server.js";

const path = "/api/organizations/audit-events";

let kit: TestKit;
let server: TestServer;
let client: Client;
let acme: Organization;
let other: Organization;

beforeAll(async () => {
  kit = await testKit();
  server = kit.server;
  client = kit.client;
  acme = await kit.organization();
  other = await kit.organization();
});
afterAll(() => kit?.close());

interface RestEvent {
  Id: string;
  Actor: { Kind: string; Id: string; Roles: string[] };
  Operation: string;
  TargetIds: string[];
  Changes: { Field: string; Before: unknown; After: unknown }[];
  RequestId: string | null;
  Ip: string | null;
  OccurredAt: string;
}

async function events(org: SeededOrganization, query: Record<string, string | number> = {}) {
  const result = await client.get(path, { token: org.adminToken, query });
  expect(result.status, result.text).toBe(200);
  return result.body as { Data: RestEvent[]; TotalCount: number; PageNumber: number; PageSize: number };
}

const only = async (org: SeededOrganization, query: Record<string, string>) => {
  const page = await events(org, query);
  expect(page.TotalCount).toBe(1);
  return page.Data[0]!;
};

const change = (event: RestEvent, field: string) => event.Changes.find((entry) => entry.Field === field);

describe("an audit event per mutation", () => {
  it("records the public sign-up with the new admin as actor", async () => {
    const event = await only(acme, { Operation: "createOrganization" });
    expect(event.Actor).toEqual({ Kind: "user", Id: acme.admin.userId, Roles: [] });
    expect(event.TargetIds).toEqual([acme.organizationId, acme.admin.userId]);
    expect(change(event, "name")).toEqual({ Field: "name", Before: null, After: acme.name });
    expect(event.RequestId).toBeTruthy();
    expect(event.Ip).toBe("127.0.0.1");
  });

  it("records a REST price-tier create, rename and delete with before and after", async () => {
    const name = unique("Tier");
    const renamed = unique("Renamed");
    const route = "/api/organizations/price-tiers";
    expect(
      (await client.post(route, { token: acme.adminToken, body: { Name: name, CurrencyCode: "USD" } })).status,
    ).toBe(200);
    const created = await only(acme, { Operation: "createPriceTier" });
    expect(created.Actor).toEqual({ Kind: "user", Id: acme.admin.userId, Roles: ["Admin"] });
    expect(change(created, "name")).toMatchObject({ Before: null, After: name });
    const tierId = created.TargetIds[0]!;

    const put = { Name: renamed, OldName: name, NewName: renamed, CurrencyCode: "EUR" };
    expect((await client.put(route, { token: acme.adminToken, body: put })).status).toBe(200);
    const updated = await only(acme, { Operation: "updatePriceTier" });
    expect(updated.TargetIds).toEqual([tierId]);
    expect(change(updated, "name")).toMatchObject({ Before: name, After: renamed });
    expect(change(updated, "currencyCode")).toMatchObject({ Before: "USD", After: "EUR" });
    expect(change(updated, "id")).toBeUndefined();

    expect((await client.delete(route, { token: acme.adminToken, body: { Name: renamed } })).status).toBe(200);
    const deleted = await only(acme, { Operation: "deletePriceTier" });
    expect(change(deleted, "name")).toMatchObject({ Before: renamed, After: null });
  });

  it("records a GraphQL mutation under its mutation name, only the fields that changed", async () => {
    const result = await client.graphql(
      `mutation { updateOrganization(input: { phoneNumber: "+1 305 555 0100" }) { id } }`,
      {},
      acme.adminToken,
    );
    expect(result.errors).toBeUndefined();
    const event = await only(acme, { Operation: "updateOrganization" });
    expect(event.Changes.map((entry) => entry.Field)).toEqual(["phoneNumber"]);
    expect(event.TargetIds).toEqual([acme.organizationId]);
  });

  it("writes nothing when the mutation's transaction fails", async () => {
    const route = "/api/organizations/price-tiers";
    const body = { Name: unique("Tier"), CurrencyCode: "USD" };
    expect((await client.post(route, { token: other.adminToken, body })).status).toBe(200);
    const before = (await events(other)).TotalCount;
    const refused = await client.post(route, { token: other.adminToken, body });
    expect(refused.status).toBe(400);
    expect((await events(other)).TotalCount).toBe(before);
  });

  it("records users, admins, customers, associations and sales reps", async () => {
    const email = uniqueEmail("member");
    const created = await client.post("/api/users", {
      token: acme.adminToken,
      body: { FirstName: "Mo", LastName: "Member", Email: email, Password: "Another-Pass-99!" },
    });
    expect(created.status).toBe(200);
    const userEvent = await only(acme, { Operation: "createUser" });
    expect(change(userEvent, "email")).toMatchObject({ After: email });

    const member = await acme.member();
    expect((await only(acme, { Operation: "removeOrganizationAdmin", TargetId: member.userId })).Changes).toEqual([
      { Field: "isAdmin", Before: true, After: false },
    ]);
    expect(await only(acme, { Operation: "assignOrganizationAdmin", TargetId: member.userId })).toBeTruthy();

    const customer = await acme.customer();
    expect(change(await only(acme, { Operation: "upsertCustomer" }), "customerNumber")).toMatchObject({
      Before: null,
      After: customer.customerNumber,
    });
    const associated = await client.post("/api/organizations/users/associate-customer", {
      token: acme.adminToken,
      body: { UserId: member.userId, CustomerNumber: customer.customerNumber },
    });
    expect(associated.status).toBe(200);
    expect((await only(acme, { Operation: "associateUserCustomer" })).TargetIds).toEqual([member.userId, customer.id]);

    const rep = await acme.salesRep();
    expect((await only(acme, { Operation: "addSalesRep" })).TargetIds[0]).toBe(rep.organizationSalesRepId);
    const body = { OrganizationSalesRepId: rep.organizationSalesRepId };
    expect(
      (await client.post("/api/organizations/salesreps/deactivate", { token: acme.adminToken, body })).status,
    ).toBe(200);
    expect((await only(acme, { Operation: "deactivateSalesRep" })).Changes).toEqual([
      { Field: "active", Before: true, After: false },
    ]);
    expect((await client.delete("/api/organizations/salesreps", { token: acme.adminToken, body })).status).toBe(200);
    expect((await only(acme, { Operation: "removeSalesRep" })).TargetIds).toContain(rep.organizationSalesRepId);
  });

  it("never stores a password, a password hash or a secret", async () => {
    const [{ hashes }] = (await server.database.db
      .select({ hashes: sql<string[]>`array_agg(${users.passwordHash})` })
      .from(users)
      .where(sql`${users.passwordHash} is not null`)) as [{ hashes: string[] }];
    expect(hashes.length).toBeGreaterThan(1);
    const stored = JSON.stringify(
      await server.database.db.select().from(auditEvents).where(eq(auditEvents.organizationId, acme.organizationId)),
    );
    for (const hash of hashes) expect(stored).not.toContain(hash);
    expect(stored).not.toContain("Quiet-Harbor-Lantern-42");
    expect(stored).not.toContain("Another-Pass-99!");
    expect(stored).not.toMatch(/passwordHash|whsec_/);
  });
});

describe("reading the trail", () => {
  it("filters by actor, operation, target and time range, newest first", async () => {
    const all = await events(acme, { PageSize: 100 });
    expect(all.TotalCount).toBeGreaterThan(5);
    const times = all.Data.map((event) => event.OccurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const byActor = await events(acme, { ActorId: acme.admin.userId, PageSize: 100 });
    expect(byActor.Data.every((event) => event.Actor.Id === acme.admin.userId)).toBe(true);
    expect((await events(acme, { ActorId: other.admin.userId })).TotalCount).toBe(0);

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await events(acme, { From: future })).TotalCount).toBe(0);
    expect((await events(acme, { To: future })).TotalCount).toBe(all.TotalCount);
    expect((await events(acme, { To: all.Data.at(-1)!.OccurredAt })).TotalCount).toBe(0);
    expect((await events(acme, { TargetId: acme.organizationId })).TotalCount).toBe(2);
  });

  it("pages with the list parameters of the other lists", async () => {
    const all = await events(acme, { PageSize: 100 });
    const second = await events(acme, { PageSize: 2, PageNumber: 2 });
    expect(second).toMatchObject({ PageNumber: 2, PageSize: 2, TotalCount: all.TotalCount });
    expect(second.Data.map((event) => event.Id)).toEqual(all.Data.slice(2, 4).map((event) => event.Id));
    const bad = await client.get(path, { token: acme.adminToken, query: { PageSize: 1000 } });
    expect(bad.status).toBe(400);
    const badTime = await client.get(path, { token: acme.adminToken, query: { From: "yesterday" } });
    expect(badTime.status).toBe(400);
    expect(badTime.body.errors).toHaveProperty("From");
  });

  it("answers the same over GraphQL", async () => {
    const result = await client.graphql(
      `query($operation: String) { auditEvents(operation: $operation) {
        totalCount items { operation actor { id kind roles } changes { field before after } } } }`,
      { operation: "createOrganization" },
      acme.adminToken,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.auditEvents.totalCount).toBe(1);
    expect(result.data.auditEvents.items[0].actor).toEqual({ id: acme.admin.userId, kind: "user", roles: [] });
    const byAdmin = await client.graphql(
      `{ auditEvents(operation: "createPriceTier") { items { actor { roles } } } }`,
      {},
      acme.adminToken,
    );
    expect(byAdmin.errors).toBeUndefined();
    expect(byAdmin.data.auditEvents.items[0].actor.roles).toEqual(["ADMIN"]);
  });

  it("shows another organization's admin none of it", async () => {
    const tier = await only(acme, { Operation: "createPriceTier" });
    expect((await events(other, { TargetId: tier.TargetIds[0]! })).TotalCount).toBe(0);
    const theirs = await events(other, { PageSize: 100 });
    expect(theirs.Data.every((event) => !event.TargetIds.includes(acme.organizationId))).toBe(true);
  });

  it("refuses callers without the Admin role", async () => {
    const { token } = await other.customerUser();
    expect((await client.get(path, { token })).status).toBe(403);
    expect((await client.get(path)).status).toBe(401);
    const result = await client.graphql(`{ auditEvents { totalCount } }`, {}, token);
    expect(result.codes).toEqual(["FORBIDDEN"]);
  });
});

describe("retention", () => {
  it("prunes events older than AUDIT_RETENTION_DAYS and keeps the rest", async () => {
    const org = await kit.organization();
    const signUp = await only(org, { Operation: "createOrganization" });
    await client.post("/api/organizations/price-tiers", {
      token: org.adminToken,
      body: { Name: unique("Tier"), CurrencyCode: "USD" },
    });
    await server.database.db
      .update(auditEvents)
      .set({ createdAt: sql`now() - make_interval(days => ${server.config.AUDIT_RETENTION_DAYS + 1})` })
      .where(eq(auditEvents.id, signUp.Id));
    expect(await server.auditPruner.pruneOnce()).toBe(1);
    const left = await events(org);
    expect(left.Data.map((event) => event.Operation)).toEqual(["createPriceTier"]);
  });
});

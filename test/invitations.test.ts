import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations } from "../src/features/invitations/invitations.tables.js";
import type { Client } from "./support/http.js";
import { testKit, type Organization, type TestKit } from "./support/kit.js";
import { invitationToken } from "./support/sales-rep-seed.js";
import { password, uniqueEmail } from "./support/seed.js";

let kit: TestKit;
let client: Client;
let org: Organization;

beforeAll(async () => {
  kit = await testKit({ mail: true });
  client = kit.client;
  org = await kit.organization();
});
afterAll(() => kit?.close());

/** Invites a new person without a password; answers its address and the invitation's id. */
async function invite() {
  const email = uniqueEmail("invitee");
  const created = await client.post("/api/users", {
    token: org.adminToken,
    body: { FirstName: "In", LastName: "Vitee", Email: email },
  });
  expect(created.status).toBe(200);
  const list = await client.get("/api/organizations/invitations", { token: org.adminToken, query: { PageSize: 100 } });
  const invitation = list.body.Data.find((row: { Email: string }) => row.Email === email);
  return { email, userId: created.body.Id as string, invitation };
}

const accept = (token: string) =>
  client.post("/api/auth/invitations/accept", { body: { Token: token, Password: password } });

describe("GET /api/organizations/invitations and invitations", () => {
  it("lists who was invited, as what, by whom and when, with the state, newest first", async () => {
    const first = await invite();
    const second = await invite();
    expect(first.invitation).toEqual({
      Id: expect.any(String),
      UserId: first.userId,
      Email: first.email,
      Role: "Member",
      State: "pending",
      InvitedBy: { Kind: "user", Id: org.admin.userId, Name: "Ada Admin" },
      CreatedAt: expect.any(String),
      SentAt: expect.any(String),
      ExpiresAt: expect.any(String),
    });
    const hours = (Date.parse(first.invitation.ExpiresAt) - Date.parse(first.invitation.CreatedAt)) / 3_600_000;
    expect(Math.round(hours)).toBe(kit.server.config.INVITATION_TTL_HOURS);

    await accept(await invitationToken(kit.postmark, first.email));
    const gql = await client.graphql(
      `{ invitations(pageSize: 2) { items { id email state role } totalCount } }`,
      {},
      org.adminToken,
    );
    expect(gql.data.invitations.items.slice(0, 2)).toEqual([
      { id: second.invitation.Id, email: second.email, state: "PENDING", role: "MEMBER" },
      { id: first.invitation.Id, email: first.email, state: "ACCEPTED", role: "MEMBER" },
    ]);
    const accepted = await client.get("/api/organizations/invitations", {
      token: org.adminToken,
      query: { State: "accepted", PageSize: 100 },
    });
    expect(accepted.body.Data.map((row: { Id: string }) => row.Id)).toEqual([first.invitation.Id]);
  });

  it("shows an invitation past INVITATION_TTL_HOURS as expired, and its link no longer works", async () => {
    const { email, invitation } = await invite();
    await kit.server.database.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.id, invitation.Id));
    const list = await client.get("/api/organizations/invitations", {
      token: org.adminToken,
      query: { State: "expired" },
    });
    expect(list.body.Data.map((row: { Id: string }) => row.Id)).toContain(invitation.Id);
    expect((await accept(await invitationToken(kit.postmark, email))).status).toBe(400);
  });
});

describe("resending: POST /api/organizations/invitations/{id}/resend and resendInvitation", () => {
  it("mails a new link with a new expiry; the old link stops working (REST)", async () => {
    const { email, invitation } = await invite();
    const old = await invitationToken(kit.postmark, email);
    const resent = await client.post(`/api/organizations/invitations/${invitation.Id}/resend`, {
      token: org.adminToken,
    });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ Id: invitation.Id, State: "pending" });
    const fresh = await invitationToken(kit.postmark, email, 2);
    expect(fresh).not.toBe(old);
    expect((await accept(old)).status).toBe(400);
    expect((await accept(fresh)).status).toBe(200);

    const again = await client.post(`/api/organizations/invitations/${invitation.Id}/resend`, {
      token: org.adminToken,
    });
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual({ Id: "is accepted; only a pending or expired invitation can be sent again" });
  });

  it("renews an expired invitation over GraphQL, and answers 404 for an unknown or foreign id", async () => {
    const { email, invitation } = await invite();
    await kit.server.database.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.id, invitation.Id));
    const gql = await client.graphql(
      `mutation ($id: ID!) { resendInvitation(id: $id) { id state } }`,
      { id: invitation.Id },
      org.adminToken,
    );
    expect(gql.data.resendInvitation).toEqual({ id: invitation.Id, state: "PENDING" });
    expect((await accept(await invitationToken(kit.postmark, email, 2))).status).toBe(200);

    const other = await kit.organization();
    const foreign = await client.post(`/api/organizations/invitations/${invitation.Id}/resend`, {
      token: other.adminToken,
    });
    const unknown = await client.post(`/api/organizations/invitations/nope/resend`, { token: org.adminToken });
    expect([foreign.status, unknown.status]).toEqual([404, 404]);
  });
});

describe("revoking: DELETE /api/organizations/invitations/{id} and revokeInvitation", () => {
  it("stops the link (REST), and cannot revoke twice (GraphQL)", async () => {
    const { email, invitation } = await invite();
    const revoked = await client.delete(`/api/organizations/invitations/${invitation.Id}`, { token: org.adminToken });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ Id: invitation.Id, State: "revoked" });
    expect((await accept(await invitationToken(kit.postmark, email))).status).toBe(400);
    const twice = await client.graphql(
      `mutation ($id: ID!) { revokeInvitation(id: $id) { state } }`,
      { id: invitation.Id },
      org.adminToken,
    );
    expect(twice.codes).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("a pending membership's invitation (MEMBERSHIP_CONSENT=required)", () => {
  let consent: TestKit;
  beforeAll(async () => {
    consent = await testKit({ mail: true, env: { MEMBERSHIP_CONSENT: "required" } });
  });
  afterAll(() => consent?.close());

  it("is withdrawn with the membership when revoked", async () => {
    const home = await consent.organization();
    const inviting = await consent.organization();
    await consent.client.post("/api/organizations/users/admins", {
      token: inviting.adminToken,
      body: { Email: home.admin.email },
    });
    const list = await consent.client.get("/api/organizations/invitations", { token: inviting.adminToken });
    expect(list.body.Data).toEqual([
      expect.objectContaining({ Email: home.admin.email, Role: "Admin", State: "pending" }),
    ]);
    await consent.client.delete(`/api/organizations/invitations/${list.body.Data[0].Id}`, {
      token: inviting.adminToken,
    });
    const admins = await consent.client.get("/api/organizations/users/admins", { token: inviting.adminToken });
    expect(admins.body.map((admin: { Email: string }) => admin.Email)).toEqual([inviting.admin.email]);
  });
});

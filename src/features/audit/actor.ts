import type { Role } from "../../auth/roles.js";
import type { RequestContext } from "../../context.js";

/** Who made a change: a person, or an organization's API client. */
export interface Actor {
  kind: "user" | "client";
  id: string;
  roles: Role[];
}

/** The caller as an audit actor: who is behind the token and the roles it acted with. */
export async function actorOf(ctx: RequestContext): Promise<Actor> {
  const actor = await ctx.auth.actor();
  const organizationToken = ctx.auth.tokenKind === "access" || ctx.auth.tokenKind === "client";
  const roles = organizationToken ? (await ctx.auth.access()).roles : [];
  const id = actor.kind === "user" ? actor.userId : actor.clientId;
  return { kind: actor.kind, id, roles: [...roles] };
}

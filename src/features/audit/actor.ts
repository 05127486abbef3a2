import type { RequestContext } from "../../context.js";

/** Who made a change. Machine clients join this union when the Principal can name them. */
export interface Actor {
  kind: "user";
  id: string;
  roles: string[];
}

/** The caller as an audit actor: the user behind the token and the roles it acted with. */
export async function actorOf(ctx: RequestContext): Promise<Actor> {
  const id = await ctx.auth.userId();
  const roles = ctx.auth.tokenKind === "access" ? (await ctx.auth.access()).roles : [];
  return { kind: "user", id, roles: [...roles] };
}

import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { getProfile } from "../users.service.js";
import { User } from "../users.types.js";

@Resolver()
export class ProfileResolver {
  @Query(() => User, { description: "The account of the caller's access token" })
  profile(@Ctx() ctx: RequestContext) {
    return getProfile(ctx);
  }
}

import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { getOrganization } from "../organizations.service.js";
import { Organization } from "../organizations.types.js";

@Resolver()
export class OrganizationQueryResolver {
  @Query(() => Organization, { description: "The organization of the caller's access token" })
  organization(@Ctx() ctx: RequestContext) {
    return getOrganization(ctx);
  }
}

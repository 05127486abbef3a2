import type { GraphQLResolveInfo } from "graphql";
import { Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { getOrganization } from "../organizations.service.js";
import { Organization } from "../organizations.types.js";

@Resolver()
export class OrganizationQueryResolver {
  @Query(() => Organization, { description: "The organization of the caller's access token" })
  organization(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return getOrganization(ctx, selectionOf(info));
  }
}

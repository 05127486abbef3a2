import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listEntitlements, listSubscriptions } from "../organizations.service.js";
import { Entitlement, Organization, Subscription } from "../organizations.types.js";

@Resolver(() => Organization)
export class OrganizationFieldsResolver {
  @FieldResolver(() => [Subscription], { description: "Active subscriptions" })
  subscriptions(@Root() organization: Organization, @Ctx() ctx: RequestContext) {
    return listSubscriptions(ctx, organization.id);
  }

  @FieldResolver(() => [Entitlement], { description: "Capabilities granted by the active subscriptions" })
  entitlements(@Root() organization: Organization, @Ctx() ctx: RequestContext) {
    return listEntitlements(ctx, organization.id);
  }
}

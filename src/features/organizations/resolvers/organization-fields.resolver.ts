import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import type { CompiledOrganization } from "../organization-shape.js";
import { listEntitlements, listSubscriptions } from "../organizations.service.js";
import { Entitlement, Organization, Subscription } from "../organizations.types.js";

/**
 * The organization's lists: built into the object by the compiled `organization` read
 * (organization-shape.ts), else, for a mutation's answer or a federated reference, loaded.
 */
@Resolver(() => Organization)
export class OrganizationFieldsResolver {
  @FieldResolver(() => [Subscription], { description: "Active subscriptions" })
  subscriptions(@Root() organization: CompiledOrganization, @Ctx() ctx: RequestContext) {
    return organization.subscriptions ?? listSubscriptions(ctx, organization.id);
  }

  @FieldResolver(() => [Entitlement], { description: "Capabilities granted by the active subscriptions" })
  entitlements(@Root() organization: CompiledOrganization, @Ctx() ctx: RequestContext) {
    return organization.entitlements ?? listEntitlements(ctx, organization.id);
  }
}

import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import type { SalesRepRow } from "../sales-reps.loaders.js";
import { identityProviderOf, metaFieldsOf, repWithUser, statusOf, visibleAssignments } from "../sales-rep-relations.js";
import { OrganizationSalesRep, SalesRep, SalesRepCreator, SalesRepMetaField } from "../sales-reps.types.js";

@Resolver(() => SalesRep)
export class SalesRepFieldsResolver {
  @FieldResolver(() => String)
  async email(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, rep.id)).user.email;
  }

  @FieldResolver(() => String)
  async firstName(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, rep.id)).user.firstName;
  }

  @FieldResolver(() => String)
  async lastName(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, rep.id)).user.lastName;
  }

  @FieldResolver(() => String, { nullable: true })
  async phoneNumber(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, rep.id)).user.phoneNumber;
  }

  @FieldResolver(() => Boolean)
  async verifiedEmail(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, rep.id)).user.emailVerified;
  }

  @FieldResolver(() => String, {
    description: "invited until the user has a password, active, or inactive when deactivated in every organization",
  })
  status(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return statusOf(ctx, rep);
  }

  @FieldResolver(() => String, { description: "builtin, or oidc for a user linked to the external identity provider" })
  async identityProvider(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return identityProviderOf((await repWithUser(ctx, rep.id)).user).identityProvider;
  }

  @FieldResolver(() => String, { description: "The user id for builtin, the provider's subject for oidc" })
  async identityProviderUserId(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return identityProviderOf((await repWithUser(ctx, rep.id)).user).identityProviderUserId;
  }

  @FieldResolver(() => SalesRepCreator, { nullable: true })
  createdBy(@Root() rep: SalesRepRow) {
    return rep.createdByName ? { name: rep.createdByName, type: rep.createdByType ?? "user" } : null;
  }

  @FieldResolver(() => [SalesRepMetaField])
  metaFields(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return metaFieldsOf(ctx, rep.id);
  }

  @FieldResolver(() => [OrganizationSalesRep], {
    description: "The rep's assignments in organizations the caller administers (all of them for the rep itself)",
  })
  assignments(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return visibleAssignments(ctx, rep);
  }
}

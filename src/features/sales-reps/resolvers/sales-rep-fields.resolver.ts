import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { metaFieldsOf, statusOf } from "../sales-rep-relations.js";
import { visibleAssignmentViews, type SalesRepView } from "../sales-rep-views.js";
import { OrganizationSalesRep, SalesRep, SalesRepMetaField, SalesRepStatusEnum } from "../sales-reps.types.js";

/** Relations of a rep, loaded with every other rep's of the request in one statement. */
@Resolver(() => SalesRep)
export class SalesRepFieldsResolver {
  @FieldResolver(() => SalesRepStatusEnum)
  status(@Root() rep: SalesRepView, @Ctx() ctx: RequestContext) {
    return statusOf(ctx, rep);
  }

  @FieldResolver(() => [SalesRepMetaField])
  metaFields(@Root() rep: SalesRepView, @Ctx() ctx: RequestContext) {
    return metaFieldsOf(ctx, rep.id);
  }

  @FieldResolver(() => [OrganizationSalesRep], {
    description: "The rep's assignments in organizations the caller administers (all of them for the rep itself)",
  })
  assignments(@Root() rep: SalesRepView, @Ctx() ctx: RequestContext) {
    return visibleAssignmentViews(ctx, rep);
  }
}

import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { metaFieldsOf, statusOf } from "../sales-rep-relations.js";
import { visibleAssignmentViews, type CompiledSalesRep } from "../sales-rep-views.js";
import { OrganizationSalesRep, SalesRep, SalesRepMetaField, SalesRepStatusEnum } from "../sales-reps.types.js";

/**
 * Relations of a rep: built into the object by a compiled list (sales-rep-shape.ts), else loaded
 * with every other rep's of the request in one statement.
 */
@Resolver(() => SalesRep)
export class SalesRepFieldsResolver {
  @FieldResolver(() => SalesRepStatusEnum)
  status(@Root() rep: CompiledSalesRep, @Ctx() ctx: RequestContext) {
    return rep.status ?? statusOf(ctx, rep);
  }

  @FieldResolver(() => [SalesRepMetaField])
  metaFields(@Root() rep: CompiledSalesRep, @Ctx() ctx: RequestContext) {
    return rep.metaFields ?? metaFieldsOf(ctx, rep.id);
  }

  @FieldResolver(() => [OrganizationSalesRep], {
    description: "The rep's assignments in organizations the caller administers (all of them for the rep itself)",
  })
  assignments(@Root() rep: CompiledSalesRep, @Ctx() ctx: RequestContext) {
    return rep.assignments ?? visibleAssignmentViews(ctx, rep);
  }
}

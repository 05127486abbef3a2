import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { metaFieldsOf, repWithUser, statusOf, visibleAssignments } from "../sales-rep-relations.js";
import { RepUserFieldsResolver } from "./rep-user-fields.resolver.js";
import {
  OrganizationSalesRep,
  SalesRep,
  SalesRepCreator,
  SalesRepMetaField,
  SalesRepStatusEnum,
} from "../sales-reps.types.js";
import type { SalesRepRow } from "../sales-reps.tables.js";

@Resolver(() => SalesRep)
export class SalesRepFieldsResolver extends RepUserFieldsResolver(SalesRep, (rep) => rep.id) {
  @FieldResolver(() => Boolean)
  async verifiedEmail(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, rep.id)).user.emailVerified;
  }

  @FieldResolver(() => SalesRepStatusEnum)
  status(@Root() rep: SalesRepRow, @Ctx() ctx: RequestContext) {
    return statusOf(ctx, rep);
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

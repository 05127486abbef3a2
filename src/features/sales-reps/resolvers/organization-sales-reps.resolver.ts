import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { selectionOf } from "../../../graphql/selection.js";
import { listOrganizationSalesReps } from "../sales-reps.service.js";
import { OrganizationSalesRepPage, OrganizationSalesRepsArgs } from "../sales-reps.types.js";

@Resolver()
export class OrganizationSalesRepsResolver {
  @Query(() => OrganizationSalesRepPage, {
    description:
      "The sales reps of the caller's organization; sortOn RepNumber (default), FirstName, LastName, Email, PhoneNumber or Active",
  })
  organizationSalesReps(
    @Ctx() ctx: RequestContext,
    @Args(() => OrganizationSalesRepsArgs) args: OrganizationSalesRepsArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listOrganizationSalesReps(ctx, args, selectionOf(info).items ?? {});
  }
}

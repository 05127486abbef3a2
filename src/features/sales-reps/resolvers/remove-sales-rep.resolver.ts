import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { removeSalesRep } from "../sales-reps.service.js";
import { RemoveSalesRepPayload } from "../sales-reps.types.js";

@Resolver()
export class RemoveSalesRepResolver {
  @Mutation(() => RemoveSalesRepPayload, {
    description:
      "Removes a rep from the organization; its last assignment deletes the rep, and the user when it belongs nowhere else",
  })
  removeSalesRep(
    @Ctx() ctx: RequestContext,
    @Arg("organizationSalesRepId", () => String) organizationSalesRepId: string,
  ) {
    return removeSalesRep(ctx, organizationSalesRepId);
  }
}

import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { addSalesRep } from "../sales-reps.service.js";
import { AddSalesRepInput, OrganizationSalesRep } from "../sales-reps.types.js";

@Resolver()
export class AddSalesRepResolver {
  @Mutation(() => OrganizationSalesRep, {
    description:
      "Creates or reuses the sales rep with this e-mail, assigns it to the caller's organization and invites it",
  })
  addSalesRep(@Ctx() ctx: RequestContext, @Arg("input", () => AddSalesRepInput) input: AddSalesRepInput) {
    return addSalesRep(ctx, input);
  }
}

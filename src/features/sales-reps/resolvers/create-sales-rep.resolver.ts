import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { createSalesRep } from "../create-sales-rep.service.js";
import { CreateSalesRepInput, SalesRep } from "../sales-reps.types.js";

@Resolver()
export class CreateSalesRepResolver {
  @Mutation(() => SalesRep, {
    description:
      "Creates or reuses a sales rep and assigns it to organizations the caller administers, with customers and meta fields",
  })
  createSalesRep(@Ctx() ctx: RequestContext, @Arg("input", () => CreateSalesRepInput) input: CreateSalesRepInput) {
    return createSalesRep(ctx, input);
  }
}

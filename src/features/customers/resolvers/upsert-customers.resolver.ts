import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { upsertCustomers } from "../customer-batch.service.js";
import { UpsertCustomersItemInput, UpsertCustomersPayload } from "../customer-batch.types.js";

@Resolver()
export class UpsertCustomersResolver {
  @Mutation(() => UpsertCustomersPayload, {
    description:
      "Creates or updates up to 1,000 customers with parents and addresses in one transaction; parents may come after their children. Without partial, any item's problem refuses the whole batch naming every problem",
  })
  upsertCustomers(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => [UpsertCustomersItemInput]) input: UpsertCustomersItemInput[],
    @Arg("partial", () => Boolean, {
      nullable: true,
      description: "Apply the valid items and answer error for the others; default false",
    })
    partial?: boolean | null,
  ) {
    return upsertCustomers(ctx, input, partial ?? false);
  }
}

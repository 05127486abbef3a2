import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { deleteSalesRepRole } from "../sales-rep-roles.service.js";
import { DeleteSalesRepRolePayload } from "../sales-rep-roles.types.js";

@Resolver()
export class DeleteSalesRepRoleResolver {
  @Mutation(() => DeleteSalesRepRolePayload, {
    description: "Deletes a sales-rep role no assignment holds; refused (CONFLICT) while a rep holds it",
  })
  deleteSalesRepRole(@Ctx() ctx: RequestContext, @Arg("key", () => String) key: string) {
    return deleteSalesRepRole(ctx, key);
  }
}

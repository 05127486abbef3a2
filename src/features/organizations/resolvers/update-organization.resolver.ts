import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { updateOrganization } from "../organizations.service.js";
import { Organization, UpdateOrganizationInput } from "../organizations.types.js";

@Resolver()
export class UpdateOrganizationResolver {
  @Mutation(() => Organization, { description: "Changes name, billing address, contact or pricing settings" })
  updateOrganization(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => UpdateOrganizationInput) input: UpdateOrganizationInput,
  ) {
    return updateOrganization(ctx, input);
  }
}

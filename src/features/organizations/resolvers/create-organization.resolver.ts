import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { createOrganization } from "../organizations.service.js";
import { CreateOrganizationInput, Organization } from "../organizations.types.js";

@Resolver()
export class CreateOrganizationResolver {
  @Mutation(() => Organization, { description: "Public sign-up: an organization and its first admin" })
  createOrganization(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CreateOrganizationInput) input: CreateOrganizationInput,
  ) {
    return createOrganization(ctx, input);
  }
}

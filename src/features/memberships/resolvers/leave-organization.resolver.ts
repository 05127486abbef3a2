import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { leaveOrganization } from "../memberships.service.js";
import { LeftOrganization } from "../memberships.types.js";

@Resolver()
export class LeaveOrganizationResolver {
  @Mutation(() => LeftOrganization, {
    description:
      "Leaves an organization with the single-use token of a membership e-mail's leave link; blockMail also stops the organization's e-mail to the person",
  })
  leaveOrganization(
    @Ctx() ctx: RequestContext,
    @Arg("token", () => String) token: string,
    @Arg("blockMail", () => Boolean, { nullable: true }) blockMail?: boolean | null,
  ) {
    return leaveOrganization(ctx, token, blockMail);
  }
}

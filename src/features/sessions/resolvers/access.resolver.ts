import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { issueAccess } from "../sessions.service.js";
import { IssuedTokenType } from "../sessions.types.js";

@Resolver()
export class AccessResolver {
  @Mutation(() => IssuedTokenType, {
    description: "Enriches the caller's identity token for one organization: roles and customer claims",
  })
  access(
    @Ctx() ctx: RequestContext,
    @Arg("identityOrganizationId", () => String) identityOrganizationId: string,
    @Arg("customerNumber", () => String, { nullable: true }) customerNumber?: string | null,
  ) {
    return issueAccess(ctx, identityOrganizationId, customerNumber);
  }
}

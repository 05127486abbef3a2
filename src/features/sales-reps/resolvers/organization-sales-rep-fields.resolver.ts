import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { assignedCustomerIds, identityProviderOf, organizationOf, repWithUser } from "../sales-rep-relations.js";
import { OrganizationSalesRep, SalesRep } from "../sales-reps.types.js";

/** Relations of an assignment, each batched per request so a list costs a fixed number of statements. */
@Resolver(() => OrganizationSalesRep)
export class OrganizationSalesRepFieldsResolver {
  @FieldResolver(() => String)
  async organizationName(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await organizationOf(ctx, assignment.organizationId)).name;
  }

  @FieldResolver(() => String, { description: "The code POST /api/auth/access takes" })
  async identityOrganizationId(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await organizationOf(ctx, assignment.organizationId)).identityOrganizationId;
  }

  @FieldResolver(() => SalesRep)
  async salesRep(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).rep;
  }

  @FieldResolver(() => ID, { description: "The rep's user id" })
  async userId(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).user.id;
  }

  @FieldResolver(() => String)
  async firstName(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).user.firstName;
  }

  @FieldResolver(() => String)
  async lastName(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).user.lastName;
  }

  @FieldResolver(() => String)
  async email(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).user.email;
  }

  @FieldResolver(() => String, { nullable: true })
  async phoneNumber(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return (await repWithUser(ctx, assignment.salesRepId)).user.phoneNumber;
  }

  @FieldResolver(() => String, { description: "builtin, or oidc for a user linked to the external identity provider" })
  async identityProvider(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return identityProviderOf((await repWithUser(ctx, assignment.salesRepId)).user).identityProvider;
  }

  @FieldResolver(() => String, { description: "The user id for builtin, the provider's subject for oidc" })
  async identityProviderUserId(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return identityProviderOf((await repWithUser(ctx, assignment.salesRepId)).user).identityProviderUserId;
  }

  @FieldResolver(() => [ID], {
    description: "Customers listed for this assignment, besides those matching its rep number",
  })
  customerIds(@Root() assignment: OrganizationSalesRep, @Ctx() ctx: RequestContext) {
    return assignedCustomerIds(ctx, assignment.id);
  }
}

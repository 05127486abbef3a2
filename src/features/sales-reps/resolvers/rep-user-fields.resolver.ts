import { Ctx, FieldResolver, Resolver, Root, type ClassType } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import type { UserRow } from "../../users/users.tables.js";
import { identityProviderOf, repWithUser } from "../sales-rep-relations.js";

/**
 * The person fields every sales-rep shaped type shows, resolved once for all of them: `repIdOf`
 * says where the type keeps the rep's id, and the user behind it is batched per request.
 */
export function RepUserFieldsResolver<T extends object>(of: ClassType<T>, repIdOf: (root: T) => string) {
  const userOf = async (ctx: RequestContext, root: T): Promise<UserRow> => (await repWithUser(ctx, repIdOf(root))).user;

  // Each call makes a base of its own, bound to `of`; only its subclass is handed to the schema.
  @Resolver(() => of)
  abstract class RepUserFields {
    @FieldResolver(() => String)
    async firstName(@Root() root: T, @Ctx() ctx: RequestContext) {
      return (await userOf(ctx, root)).firstName;
    }

    @FieldResolver(() => String)
    async lastName(@Root() root: T, @Ctx() ctx: RequestContext) {
      return (await userOf(ctx, root)).lastName;
    }

    @FieldResolver(() => String)
    async email(@Root() root: T, @Ctx() ctx: RequestContext) {
      return (await userOf(ctx, root)).email;
    }

    @FieldResolver(() => String, { nullable: true })
    async phoneNumber(@Root() root: T, @Ctx() ctx: RequestContext) {
      return (await userOf(ctx, root)).phoneNumber;
    }

    @FieldResolver(() => String, {
      description: "builtin, or oidc for a user linked to the external identity provider",
    })
    async identityProvider(@Root() root: T, @Ctx() ctx: RequestContext) {
      return identityProviderOf(await userOf(ctx, root)).identityProvider;
    }

    @FieldResolver(() => String, { description: "The user id for builtin, the provider's subject for oidc" })
    async identityProviderUserId(@Root() root: T, @Ctx() ctx: RequestContext) {
      return identityProviderOf(await userOf(ctx, root)).identityProviderUserId;
    }
  }
  return RepUserFields;
}

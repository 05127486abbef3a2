import { Field, InputType, ObjectType } from "type-graphql";
import type { RoleSide } from "../../auth/permissions.js";
import { documentedEnum, enumOf } from "../../graphql/enums.js";

export const RoleSideEnum = documentedEnum(enumOf(["seller", "buyer"] as const satisfies readonly RoleSide[]), {
  name: "RoleSide",
  description: "SELLER roles are held by members and API clients, BUYER roles by customer users",
});

@ObjectType({ description: "A named set of permissions: a custom role of the organization, or a built-in buyer role" })
export class OrganizationRole {
  @Field(() => String, { description: "How holders name the role; never changes" })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [String], { description: "Permissions of the catalogue (docs/permissions.md), all of the role's side" })
  permissions!: string[];

  @Field(() => RoleSideEnum)
  side!: RoleSide;

  @Field(() => Boolean, { description: "Buyer roles: whether a customer's own user managers may give it" })
  buyerAssignable!: boolean;

  @Field(() => Boolean, { description: "customer-admin and buyer: every organization has them; they cannot change" })
  builtIn!: boolean;

  @Field(() => Date, { nullable: true })
  createdAt!: Date | null;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;
}

@InputType({ description: "A new custom role" })
export class CreateRoleInput {
  @Field(() => String, { description: "Lower-case letters, digits, - and _; unique in the organization" })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String])
  permissions!: string[];

  @Field(() => RoleSideEnum)
  side!: RoleSide;

  @Field(() => Boolean, { nullable: true, description: "Buyer roles only; default false" })
  buyerAssignable?: boolean | null;
}

@InputType({ description: "Changes to a custom role; omitted fields stay as they are. Key and side never change" })
export class UpdateRoleInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: "Replaces the role's permissions" })
  permissions?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  buyerAssignable?: boolean | null;
}

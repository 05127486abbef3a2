import { ArgsType, Directive, Field, ID, InputType, ObjectType } from "type-graphql";
import { PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { roles, type Role } from "../../auth/roles.js";
import { documentedEnum, enumOf } from "../../graphql/enums.js";
import { memberListSpec } from "./member-list.js";

/** Roles as tokens spell them (`Admin`), named ADMIN, CUSTOMER, SALES_REP in GraphQL. */
export const RoleEnum = documentedEnum(enumOf(roles), { name: "Role", description: "A role in an organization" });

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A person's platform-wide account" })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String, { description: "The login identifier, unique platform-wide in any case" })
  email!: string;

  @Field(() => String, { nullable: true })
  phoneNumber!: string | null;
}

@ObjectType({ description: "An organization the caller is a member of" })
export class UserOrganization {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The code POST /api/auth/access takes" })
  identityOrganizationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  slug!: string;
}

@ObjectType({ description: "A member of an organization, with its roles there" })
export class OrganizationUser {
  @Field(() => ID, { description: "The user's id" })
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => [RoleEnum], {
    description: "ADMIN and/or CUSTOMER; a pending member holds none of them until it accepts",
  })
  roles!: Role[];

  @Field(() => Boolean, {
    description:
      "True while an existing account added under MEMBERSHIP_CONSENT=required has not accepted the invitation",
  })
  pending!: boolean;
  @Field(() => [String], { description: "The keys of the custom seller roles the member holds (setUserRoles)" })
  customRoles!: string[];
}

export const OrganizationUserPage = PageOf(OrganizationUser, "OrganizationUserPage");

@InputType({ description: "A user to add to the caller's organization" })
export class CreateUserInput {
  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String, { description: "An address already registered reuses that account" })
  email!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Initial password of a new account; ignored for a registered address. Omitted: an invitation e-mail lets the user choose one",
  })
  password?: string | null;

  @Field(() => String, { nullable: true })
  phoneNumber?: string | null;
}

export const OrganizationUserSortField = sortFieldEnum(memberListSpec, "OrganizationUserSortField");

@ArgsType()
export class OrganizationUsersArgs extends PageArgsOf(OrganizationUserSortField) {}

import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { documentedEnum, enumOf } from "../../graphql/enums.js";
import { PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { invitationListSpec, invitationStates, type InvitationState } from "./invitation-list.js";
import { invitationRoles, type InvitationRole } from "./invitations.tables.js";

export const InvitationStateEnum = documentedEnum(enumOf(invitationStates), {
  name: "InvitationState",
  description: "Where an invitation stands: pending, accepted, expired (INVITATION_TTL_HOURS) or revoked",
});

export const InvitationRoleEnum = documentedEnum(enumOf(invitationRoles), {
  name: "InvitationRole",
  description: "What an invitation offers: a membership, the Admin role, or a sales rep assignment",
});

@ObjectType({ description: "Who sent an invitation: a user of the organization or one of its API clients" })
export class Inviter {
  @Field(() => String, { description: "user or client" })
  kind!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: "The user's name, or the API client's" })
  name!: string | null;
}

@ObjectType({ description: "An organization's invitation of a person" })
export class Invitation {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => InvitationRoleEnum, { nullable: true })
  role!: InvitationRole | null;

  @Field(() => InvitationStateEnum)
  state!: InvitationState;

  @Field(() => Inviter, { nullable: true })
  invitedBy!: Inviter | null;

  @Field(() => String, { description: "ISO 8601" })
  createdAt!: string;

  @Field(() => String, { description: "ISO 8601; when the link was last e-mailed" })
  sentAt!: string;

  @Field(() => String, { description: "ISO 8601" })
  expiresAt!: string;
}

export const InvitationPage = PageOf(Invitation, "InvitationPage");

export const InvitationSortField = sortFieldEnum(invitationListSpec, "InvitationSortField");

@ArgsType()
export class InvitationsArgs extends PageArgsOf(InvitationSortField) {
  @Field(() => InvitationStateEnum, { nullable: true, description: "Only invitations in this state" })
  state?: InvitationState | null;
}

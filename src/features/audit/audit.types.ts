import { JsonScalar } from "../../graphql/json-scalars.js";
import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { auditList } from "./audit-list.js";
import type { Role } from "../../auth/roles.js";
import { RoleEnum } from "../users/users.types.js";

@ObjectType({ description: "One changed field of an audit event; secrets are never recorded" })
export class AuditFieldChange {
  @Field(() => String)
  field!: string;

  @Field(() => JsonScalar, { nullable: true })
  before!: unknown;

  @Field(() => JsonScalar, { nullable: true })
  after!: unknown;
}

@ObjectType({ description: "Who made a change" })
export class AuditActor {
  @Field(() => String, { description: "user" })
  kind!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => [RoleEnum], { description: "The roles it acted with; empty for public operations" })
  roles!: Role[];
}

@ObjectType({ description: "One mutation of the organization's data" })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => AuditActor)
  actor!: AuditActor;

  @Field(() => String, { description: "The GraphQL mutation name, also for REST calls" })
  operation!: string;

  @Field(() => [String])
  targetIds!: string[];

  @Field(() => [AuditFieldChange])
  changes!: AuditFieldChange[];

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => String, { description: "ISO 8601" })
  occurredAt!: string;
}

export const AuditEventPage = PageOf(AuditEvent, "AuditEventPage");

export const AuditEventSortField = sortFieldEnum(auditList, "AuditEventSortField");

@ArgsType()
export class AuditEventArgs extends PageArgsOf(AuditEventSortField) {
  @Field(() => String, { nullable: true, description: "Only events of this actor id" })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: "Only events of this mutation name" })
  operation?: string | null;

  @Field(() => String, { nullable: true, description: "Only events that name this target id" })
  targetId?: string | null;

  @Field(() => String, { nullable: true, description: "ISO 8601; events at or after" })
  from?: string | null;

  @Field(() => String, { nullable: true, description: "ISO 8601; events before" })
  to?: string | null;
}

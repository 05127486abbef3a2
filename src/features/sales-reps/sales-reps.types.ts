import { JsonScalar } from "../../graphql/json-scalars.js";
import { ArgsType, Directive, Field, ID, InputType, ObjectType } from "type-graphql";
import { PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { salesRepListSpec } from "./sales-rep-list.js";
import { documentedEnum, enumOf } from "../../graphql/enums.js";
import { accessTypes, salesRepStatuses, type AccessType } from "./sales-reps.tables.js";
import type { Role } from "../../auth/roles.js";
import { RoleEnum } from "../users/users.types.js";

export const AccessTypeEnum = documentedEnum(enumOf(accessTypes), {
  name: "AccessType",
  description:
    "Which customers an assignment reaches: its rep number's and listed ones (CUSTOMER), its sales-rep role's scope (ROLE) or ALL",
});

export const SalesRepStatusEnum = documentedEnum(enumOf(salesRepStatuses), {
  name: "SalesRepStatus",
  description: "INVITED until the rep has a password, INACTIVE when deactivated in every organization",
  refusal: "must be active, invited or inactive",
});

/**
 * The person fields every sales-rep shaped type shows. They are plain fields: services answer
 * with views that already carry them (sales-rep-views.ts), so a long list resolves them without a
 * resolver call per field.
 */
@ObjectType()
abstract class RepPerson {
  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  phoneNumber!: string | null;

  @Field(() => String, { description: "builtin, or oidc for a user linked to the external identity provider" })
  identityProvider!: string;

  @Field(() => String, { description: "The user id for builtin, the provider's subject for oidc" })
  identityProviderUserId!: string;
}

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "One sales rep's assignment to one organization (organizationSalesRepId)" })
export class OrganizationSalesRep extends RepPerson {
  @Field(() => ID, { description: "The assignment's id: organizationSalesRepId" })
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  salesRepId!: string;

  @Field(() => String, { description: "Unique within the organization; customers with this repNumber are the rep's" })
  repNumber!: string;

  @Field(() => Boolean, { description: "False when deactivated: the rep keeps the record but loses access" })
  active!: boolean;

  @Field(() => Boolean, {
    description: "True while an existing account assigned under MEMBERSHIP_CONSENT=required has not accepted",
  })
  pending!: boolean;

  @Field(() => AccessTypeEnum)
  accessType!: AccessType;

  @Field(() => String, {
    nullable: true,
    description: "With access type ROLE: the key of the sales-rep role whose scope rule selects the rep's customers",
  })
  salesRepRole!: string | null;

  @Field(() => Boolean, {
    description:
      "Whether the customers listed for the assignment reach every customer below them too (false: the listed ones only)",
  })
  includeDescendants!: boolean;

  @Field(() => String)
  organizationName!: string;

  @Field(() => String, { description: "The code POST /api/auth/access takes" })
  identityOrganizationId!: string;

  @Field(() => ID, { description: "The rep's user id" })
  userId!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ description: "Who created a sales rep record" })
export class SalesRepCreator {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "user for a person's token" })
  type!: string;
}

@ObjectType({ description: "A code and value kept with a sales rep" })
export class SalesRepMetaField {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  code!: string;

  @Field(() => JsonScalar, { nullable: true })
  value!: unknown;
}

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A user who works as a sales rep, with its assignments" })
export class SalesRep extends RepPerson {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Boolean)
  verifiedEmail!: boolean;

  @Field(() => SalesRepCreator, { nullable: true })
  createdBy!: SalesRepCreator | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export const OrganizationSalesRepPage = PageOf(OrganizationSalesRep, "OrganizationSalesRepPage");

export const SalesRepSortField = sortFieldEnum(salesRepListSpec, "SalesRepSortField");

@ArgsType()
export class OrganizationSalesRepsArgs extends PageArgsOf(SalesRepSortField) {}

@InputType({ description: "A sales rep to add to the caller's organization" })
export class AddSalesRepInput {
  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String, { description: "The login; an existing user with this e-mail is reused" })
  email!: string;

  @Field(() => String, { nullable: true })
  phoneNumber?: string | null;

  @Field(() => String)
  repNumber!: string;

  @Field(() => [RoleEnum], { nullable: true, description: "Only SALES_REP may be given" })
  roles?: Role[] | null;
}

@InputType({ description: "One organization a new sales rep is assigned to" })
export class SalesRepCompanyInput {
  @Field(() => String, { description: "An organization id (or identity organization id) the caller administers" })
  company!: string;

  @Field(() => [String], { description: "Customer ids or customer numbers of that organization" })
  customers!: string[];

  @Field(() => AccessTypeEnum, { nullable: true, description: "CUSTOMER by default" })
  accessType?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "With accessType ROLE, the key of a sales-rep role of that organization; without one, ROLE reaches what CUSTOMER does",
  })
  salesRepRole?: string | null;

  @Field(() => String, { nullable: true, description: "Unique in the organization; generated when omitted" })
  repNumber?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether the listed customers bring every customer below them; false by default",
  })
  includeDescendants?: boolean | null;
}

@InputType()
export class SalesRepMetaFieldInput {
  @Field(() => String)
  code!: string;

  @Field(() => JsonScalar, { nullable: true })
  value?: unknown;
}

@InputType({ description: "A sales rep and its assignments, in the create-sales-rep document's shape" })
export class CreateSalesRepInput {
  @Field(() => String)
  firstName!: string;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  phoneNumber?: string | null;

  @Field(() => SalesRepStatusEnum, {
    nullable: true,
    description: "ACTIVE by default; INACTIVE assignments get no access and no invitation",
  })
  status?: string | null;

  @Field(() => [SalesRepCompanyInput])
  salesRepCompanies!: SalesRepCompanyInput[];

  @Field(() => [SalesRepMetaFieldInput], { nullable: true, description: "Upserted by code" })
  metaFields?: SalesRepMetaFieldInput[] | null;
}

@ObjectType({ description: "What removeSalesRep removed" })
export class RemoveSalesRepPayload {
  @Field(() => ID)
  removedOrganizationSalesRepId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The rep record, deleted with its last assignment; null while it remains assigned elsewhere",
  })
  removedSalesRepId!: string | null;
}

import { Directive, Field, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType("OrganizationSubscription", { description: "A subscription of the organization to a plan" })
export class Subscription {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  planCode!: string;

  @Field(() => String)
  status!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Date, { nullable: true })
  currentPeriodEnd!: Date | null;
}

@ObjectType({ description: "A platform capability the organization's subscription grants" })
export class Entitlement {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { nullable: true, description: "Usage limit, if the capability has one" })
  limit!: number | null;
}

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A tenant" })
export class Organization {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The code POST /api/auth/access takes" })
  identityOrganizationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "URL-friendly identifier" })
  slug!: string;

  @Field(() => String, { nullable: true })
  billingAddress1!: string | null;

  @Field(() => String, { nullable: true })
  billingAddress2!: string | null;

  @Field(() => String, { nullable: true })
  billingCity!: string | null;

  @Field(() => String, { nullable: true })
  billingStateProvince!: string | null;

  @Field(() => String, { nullable: true })
  billingPostalCode!: string | null;

  @Field(() => String, { nullable: true })
  billingCountry!: string | null;

  @Field(() => String, { nullable: true })
  phoneNumber!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  website!: string | null;

  @Field(() => String, { nullable: true, description: "Price tier for customers that name none" })
  defaultPriceTier!: string | null;
}

@InputType({ description: "An organization's editable details; on update, omitted fields keep their value" })
export class OrganizationDetailsInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  billingAddress1?: string | null;

  @Field(() => String, { nullable: true })
  billingAddress2?: string | null;

  @Field(() => String, { nullable: true })
  billingCity?: string | null;

  @Field(() => String, { nullable: true })
  billingStateProvince?: string | null;

  @Field(() => String, { nullable: true })
  billingPostalCode?: string | null;

  @Field(() => String, { nullable: true })
  billingCountry?: string | null;

  @Field(() => String, { nullable: true })
  phoneNumber?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  website?: string | null;
}

@InputType()
export class UpdateOrganizationInput extends OrganizationDetailsInput {
  @Field(() => String, { nullable: true, description: "A price tier name of the organization; empty clears it" })
  defaultPriceTier?: string | null;
}

@InputType({ description: "The organization's first administrator" })
export class InitialAdminInput {
  @Field(() => String)
  firstName!: string;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String, { nullable: true })
  phoneNumber?: string | null;
}

@InputType()
export class CreateOrganizationInput {
  @Field(() => OrganizationDetailsInput)
  organization!: OrganizationDetailsInput;

  @Field(() => InitialAdminInput)
  user!: InitialAdminInput;
}
